import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { SLA_COLOURS, type SlaLevel } from './sla';

/**
 * A tag in the SLA palette (green / yellow / red, or neutral), whose text passes 4.5:1 on its tint;
 * antd's preset tag colours do not for several hues. The text always says what the colour means.
 */
export function LevelTag({ level, children }: { level: SlaLevel; children: ReactNode }) {
  const colours = SLA_COLOURS[level];
  return (
    <Tag style={{ color: colours.text, background: colours.background, borderColor: colours.border }}>
      {children}
    </Tag>
  );
}
