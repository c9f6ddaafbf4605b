import { describe, expect, it } from 'vitest';
import { AA_NORMAL_TEXT, contrastRatio } from '../a11y/contrast';
import { applyPalette, PALETTE, TEXT_PAIRS, UI_PAIRS } from './palette';

describe('resident palette', () => {
  it.each(TEXT_PAIRS)('text %s on %s passes AA (4.5:1)', (text, background) => {
    expect(contrastRatio(PALETTE[text], PALETTE[background])).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it.each(UI_PAIRS)('control edge %s on %s reaches 3:1', (edge, background) => {
    expect(contrastRatio(PALETTE[edge], PALETTE[background])).toBeGreaterThanOrEqual(3);
  });

  it('hands every colour to the stylesheet as a custom property', () => {
    const root = document.createElement('div');
    applyPalette(root);
    expect(root.style.getPropertyValue('--brand-dark')).toBe(PALETTE.brandDark);
    expect(root.style.getPropertyValue('--info-background')).toBe(PALETTE.infoBackground);
  });
});
