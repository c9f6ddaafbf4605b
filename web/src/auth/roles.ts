import type { Role } from '../api/types';

/*
 * What the console does with a role's name beyond asking the server: its label and the demo accounts.
 * Who may open which area, tab or button, and how an account reaches its cases, is not here: the server
 * sends it as the session's `capabilities` (see currentUser.ts `useCan`).
 */

/** Every demo account is `demo-<role>` with this password, as the seed creates them. */
export const DEMO_PASSWORD = 'demo';

export function demoUsername(role: Role): string {
  return `demo-${role}`;
}
