/** Who holds a case, as a dispatch event's payload names it (for reading the trail, not for rules). */
export type Assignment =
  | { kind: 'handler'; userId: string }
  | { kind: 'unit'; unitId: string }
  | { kind: 'joint'; unitIds: string[]; reportedIn: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function parseAssignment(value: unknown): Assignment | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'handler' && typeof value.userId === 'string') {
    return { kind: 'handler', userId: value.userId };
  }
  if (value.kind === 'unit' && typeof value.unitId === 'string')
    return { kind: 'unit', unitId: value.unitId };
  if (value.kind === 'joint') {
    return { kind: 'joint', unitIds: strings(value.unitIds), reportedIn: strings(value.reportedIn) };
  }
  return null;
}
