import type { Organisation } from '../api/types';

/** Units that can be sent a case at this place: departments and contractors serving its street. */
export function unitsFor(organisations: Organisation[], streetCode: string): Organisation[] {
  return organisations.filter(
    (org) =>
      (org.kind === 'department' || org.kind === 'contractor') &&
      (streetCode.startsWith(org.scopeCode) || org.scopeCode.startsWith(streetCode)) &&
      org.active !== false,
  );
}
