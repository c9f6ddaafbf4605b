/** Tracking codes of reports sent from this device, newest first, so a resident need not write them down. */
const KEY = 'hutong.myReports';
const LIMIT = 20;

export interface MyReport {
  trackingCode: string;
  description: string;
  at: string;
}

export function myReports(): MyReport[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter(
          (entry): entry is MyReport =>
            typeof entry === 'object' && entry !== null && typeof entry.trackingCode === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export function rememberReport(report: MyReport): void {
  const rest = myReports().filter((entry) => entry.trackingCode !== report.trackingCode);
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify([report, ...rest].slice(0, LIMIT)));
  } catch {
    // Without storage the code is still on screen; the list is a convenience.
  }
}
