import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBeijing } from '../time/beijing';
import { CASE_CHANNELS, type CaseDto, type CaseState } from './caseTypes';
import { FINISHED_STATES, SLA_COLOURS, type SlaLevel, STATE_TONES, slaLevel, timeLeft } from './sla';

export function StateTag({ state }: { state: CaseState }) {
  const { t } = useTranslation();
  const tone = STATE_TONES[state];
  return (
    <Tag style={{ color: tone.text, background: tone.background, borderColor: tone.border }}>
      {t(`cases.state.${state}`)}
    </Tag>
  );
}

/** The current time, refreshed every `intervalMs`, so time-left labels do not go stale on an open page. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function useDurationText() {
  const { t } = useTranslation();
  return (deadline: string | null, now: number): string | null => {
    const parts = timeLeft(deadline, now);
    if (!parts) return null;
    const pieces: string[] = [];
    if (parts.days > 0) pieces.push(t('cases.sla.days', { count: parts.days }));
    if (parts.hours > 0 || parts.days > 0) pieces.push(t('cases.sla.hours', { count: parts.hours }));
    if (parts.days === 0) pieces.push(t('cases.sla.minutes', { count: parts.minutes }));
    const time = pieces.join(' ');
    return parts.overdue ? t('cases.sla.overdue', { time }) : t('cases.sla.left', { time });
  };
}

export function SlaBadge({ level, text }: { level: SlaLevel; text?: string | null }) {
  const { t } = useTranslation();
  const colours = SLA_COLOURS[level];
  const label = t(`cases.sla.${level}`);
  return (
    <Tag
      // Colour is never the only signal: the level is spelled out, and the time left follows it.
      style={{ color: colours.text, background: colours.background, borderColor: colours.border }}
      data-sla={level}
    >
      {text ? `${label} · ${text}` : label}
    </Tag>
  );
}

/** The SLA level of a case and the time left to (or past) its handling deadline. */
export function SlaTag({ dto, now }: { dto: CaseDto; now: number }) {
  const durationText = useDurationText();
  // A finished case has no clock left to show; its state tag says what happened.
  if (FINISHED_STATES.has(dto.state)) return null;
  const level = slaLevel(dto, now);
  return <SlaBadge level={level} text={level === 'none' ? null : durationText(dto.handlingDeadline, now)} />;
}

export function ChannelLabel({ channel }: { channel: string }) {
  const { t } = useTranslation();
  const known = (CASE_CHANNELS as readonly string[]).includes(channel);
  return <>{known ? t(`cases.channel.${channel as (typeof CASE_CHANNELS)[number]}`) : channel}</>;
}

/** Date and time in Beijing (the console says so in its footer), whatever the browser's zone. */
export function formatDateTime(iso: string | null, language: string): string {
  return iso ? formatBeijing(iso, language) : '—';
}
