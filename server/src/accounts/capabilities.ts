import { type Action, type Actor, decide } from './authorisation.ts';

/**
 * What the console offers a signed-in user: one capability per console area or button that opens it,
 * each named after the authorisation action that the area's first request needs. The list is computed
 * by `decide(...)` from the actor's role (no resource: "may this role do this at all"), so the console
 * never keeps its own copy of who may do what; every request is still decided on its own.
 */
export const CAPABILITIES = [
  /** The case queues and the joint actions (吹哨) list. */
  'case.read',
  /** 新建案件: filing a case from the console. */
  'case.create',
  /** The ledger (台账). */
  'ledger.read',
  /** The campaigns (动态清零) list. */
  'campaign.read',
  /** Launching and keeping a campaign. */
  'campaign.write',
  /** Blowing the whistle, keeping its meeting, recording for a unit. */
  'joint_action.write',
  /** The 12345 desk: importing orders and placing those the gazetteer could not. */
  'hotline.import',
  /** Hot issues. */
  'hot_issue.read',
  /** Forecasts and proactive tasks (未诉先办). */
  'forecast.read',
  /** Taking up or setting aside a proactive task. */
  'proactive_task.decide',
  /** The monthly theme (每月一题). */
  'theme.read',
  /** Supervision: patrol coverage, inspections, contractor checks, tiers. */
  'inspection.read',
  /** Rankings, evaluations and the dashboards. */
  'measure.read',
  /** The evaluation scheme and freezing a month. */
  'evaluation.write',
  /** Participation: volunteer teams, rewards, deliberation, parking. */
  'volunteer.manage',
  /** User administration. */
  'user.read',
  /** The taxonomy's synonyms and keywords. */
  'taxonomy.write',
  /** Open311 clients and service questions. */
  'open311_client.read',
] as const satisfies readonly Action[];

export type Capability = (typeof CAPABILITIES)[number];

/** The capabilities the actor's role grants, in the order of CAPABILITIES. */
export function capabilitiesOf(actor: Actor): Capability[] {
  return CAPABILITIES.filter((capability) => decide(actor, capability).allowed);
}
