/**
 * The resident page's colours, in one place so that their contrast is tested (palette.test.ts) rather
 * than hoped for. `applyPalette` hands them to resident.css as custom properties (`--ink`, `--brand`…).
 */
export const PALETTE = {
  ink: '#1f1f1f',
  muted: '#595959',
  line: '#d9d9d9',
  fieldBorder: '#8c8c8c',
  paper: '#ffffff',
  ground: '#f5f5f5',
  brand: '#a8071a',
  brandDark: '#820014',
  onBrand: '#ffffff',
  focus: '#0958d9',
  ok: '#135200',
  infoText: '#003a8c',
  infoBackground: '#e6f4ff',
  infoBorder: '#91caff',
  successText: '#135200',
  successBackground: '#f6ffed',
  successBorder: '#95de64',
  warningText: '#613400',
  warningBackground: '#fffbe6',
  warningBorder: '#ffd666',
  errorText: '#820014',
  errorBackground: '#fff1f0',
  errorBorder: '#ffa39e',
} as const;

export type PaletteKey = keyof typeof PALETTE;

/** Text drawn on a background somewhere in resident.css; each pair must reach 4.5:1. */
export const TEXT_PAIRS: readonly [text: PaletteKey, background: PaletteKey][] = [
  ['ink', 'paper'],
  ['ink', 'ground'],
  ['muted', 'paper'],
  ['muted', 'ground'],
  ['onBrand', 'brand'],
  ['brand', 'paper'],
  ['brand', 'ground'],
  ['brandDark', 'paper'],
  ['ok', 'paper'],
  ['infoText', 'infoBackground'],
  ['successText', 'successBackground'],
  ['warningText', 'warningBackground'],
  ['errorText', 'errorBackground'],
];

/** Edges people must see to use a control (inputs, the focus ring) need 3:1 (WCAG 1.4.11). */
export const UI_PAIRS: readonly [edge: PaletteKey, background: PaletteKey][] = [
  ['fieldBorder', 'paper'],
  ['focus', 'paper'],
  ['focus', 'ground'],
  ['brand', 'paper'],
];

function cssName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

export function applyPalette(root: HTMLElement): void {
  for (const [key, value] of Object.entries(PALETTE)) root.style.setProperty(cssName(key), value);
}
