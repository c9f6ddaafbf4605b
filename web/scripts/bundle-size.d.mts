/** Types for bundle-size.mjs, so the web tests can call it. */
export interface MeasuredFile {
  file: string;
  bytes: number;
  gzip: number;
}

export interface MeasuredEntry {
  files: MeasuredFile[];
  bytes: number;
  gzip: number;
}

export const DEFAULT_DIST: string;
export const ENTRIES: Record<'console' | 'resident', string>;
export function gzipSize(bytes: Uint8Array): number;
export function initialScripts(html: string): string[];
export function measureEntry(distDir: string, htmlFile: string): MeasuredEntry;
export function measure(distDir?: string): {
  entries: Partial<Record<'console' | 'resident', MeasuredEntry>>;
  lazy: MeasuredFile[];
};
