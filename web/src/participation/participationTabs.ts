import type { Capability } from '../api/types';

/*
 * The participation area's tabs and the capability each one's requests need, kept apart from the page
 * so that the console's navigation can ask about them without loading the page.
 */

export const PARTICIPATION_TABS = [
  { key: 'volunteers', capability: 'volunteer.manage' },
  { key: 'redemptions', capability: 'reward.write' },
  { key: 'catalogue', capability: 'reward.write' },
  { key: 'proposals', capability: 'proposal.manage' },
  { key: 'parking', capability: 'parking.manage' },
  { key: 'visits', capability: 'visit.manage' },
  { key: 'frontage', capability: 'frontage.read' },
] as const satisfies readonly { key: string; capability: Capability }[];

export type ParticipationTab = (typeof PARTICIPATION_TABS)[number]['key'];

/** The area is offered to whoever may open at least one of its tabs. */
export const PARTICIPATION_CAPABILITIES: readonly Capability[] = [
  ...new Set(PARTICIPATION_TABS.map((tab) => tab.capability)),
];
