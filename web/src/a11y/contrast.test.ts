import { describe, expect, it } from 'vitest';
import { SLA_COLOURS, STATE_TONES } from '../cases/sla';
import { CONSOLE_COLOURS } from '../theme';
import { AA_NORMAL_TEXT, contrastRatio, relativeLuminance } from './contrast';

describe('contrastRatio', () => {
  it('gives the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBeCloseTo(1, 5);
    // The grey the WCAG notes quote as just passing AA on white.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 5);
  });

  it('is symmetric', () => {
    expect(contrastRatio('#a8071a', '#ffffff')).toBeCloseTo(contrastRatio('#ffffff', '#a8071a'), 10);
  });

  it('refuses what is not a hex colour', () => {
    expect(() => contrastRatio('red', '#fff')).toThrow(/hex/);
  });
});

describe('console colours', () => {
  it.each(Object.entries(SLA_COLOURS))('SLA tag %s passes AA', (_, tone) => {
    expect(contrastRatio(tone.text, tone.background)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it.each(Object.entries(STATE_TONES))('state tag %s passes AA', (_, tone) => {
    expect(contrastRatio(tone.text, tone.background)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it.each([
    ['links', CONSOLE_COLOURS.link],
    ['danger labels', CONSOLE_COLOURS.error],
    ['secondary text', CONSOLE_COLOURS.secondaryText],
    ['the brand colour as text', CONSOLE_COLOURS.primary],
  ])('%s pass AA on white and on the layout background', (_, colour) => {
    expect(contrastRatio(colour, CONSOLE_COLOURS.background)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    expect(contrastRatio(colour, CONSOLE_COLOURS.layoutBackground)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it('white on the brand colour (primary buttons) passes AA', () => {
    expect(contrastRatio('#ffffff', CONSOLE_COLOURS.primary)).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it('queue count badges (white on grey, white on red) pass AA', () => {
    expect(contrastRatio('#ffffff', '#595959')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    expect(contrastRatio('#ffffff', '#a8071a')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });
});
