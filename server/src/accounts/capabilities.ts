import { ACTION_ROLES, type ActionType, ROLE_LINK } from '../cases/case.state.ts';
import {
  type Action,
  type Actor,
  boundByOrganisation,
  decide,
  mayFireCaseActionAtAll,
} from './authorisation.ts';

/**
 * What the console and the resident pages offer a signed-in user: one capability per area, tab or
 * button, each named after the authorisation action that its first request needs. The list is computed
 * by `decide(...)` from the actor's role (no resource: "may this role do this at all"), so the web never
 * keeps its own copy of who may do what; every request is still decided on its own.
 */
export const ACTION_CAPABILITIES = [
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
  /** Proposing next month's themes, and adopting or dismissing a proposed one. */
  'theme.propose',
  'theme.adopt',
  /** Supervision: patrol coverage, inspections, contractor checks, tiers. */
  'inspection.read',
  /** Rankings, evaluations and the dashboards (the console home opens on the dashboard with it). */
  'measure.read',
  /** The evaluation scheme and freezing a month. */
  'evaluation.write',
  /** Participation, one tab each: volunteer teams; rewards and their handing over; deliberation; parking;
   * household visits; the frontage register (and registering shops in it). The area is offered with any
   * of them. */
  'volunteer.manage',
  'reward.write',
  'proposal.manage',
  'parking.manage',
  'visit.manage',
  'frontage.read',
  'frontage.manage',
  /** User administration. */
  'user.read',
  /** The taxonomy's synonyms and keywords. */
  'taxonomy.write',
  /** Open311 clients and service questions. */
  'open311_client.read',
  /** Resident pages: signing in there, and one's reports followed on one's account. */
  'report.own',
  /** Resident pages: one's civic points and rewards. */
  'points.own',
  /** Resident pages: applying to volunteer teams and signing up for activities; the service certificate. */
  'volunteer.apply',
  /** Resident pages: proposing, commenting and voting in one's community. */
  'proposal.take_part',
  /** Resident pages: booking shared parking. */
  'parking.book',
  /** The daily patrol page. */
  'patrol.walk',
] as const satisfies readonly Action[];

/**
 * How the actor reaches cases, where the web words things differently: a department or contractor reads
 * the cases assigned to its organisation, wherever they lie, not those of a territory.
 */
export const REACH_CAPABILITIES = ['case.read_assigned'] as const;

/**
 * The case actions whose work the console's queues gather (to dispatch, to sign, to handle, to verify),
 * each offered where the state machine lets the role fire the action on some case; which case is
 * decided with the case.
 */
const CASE_ACTION_CAPABILITIES = {
  'case.dispatch': 'dispatch',
  'case.sign': 'sign',
  'case.feedback': 'feedback',
  'case.verify': 'verify_pass',
} as const satisfies Record<string, ActionType>;

type CaseActionCapability = keyof typeof CASE_ACTION_CAPABILITIES;

export const CAPABILITIES = [
  ...ACTION_CAPABILITIES,
  ...REACH_CAPABILITIES,
  ...(Object.keys(CASE_ACTION_CAPABILITIES) as CaseActionCapability[]),
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** The capabilities the actor's role grants, in the order of CAPABILITIES. */
export function capabilitiesOf(actor: Actor): Capability[] {
  const granted: Capability[] = ACTION_CAPABILITIES.filter((capability) => decide(actor, capability).allowed);
  if (decide(actor, 'case.read').allowed && boundByOrganisation(actor, 'case.read')) {
    granted.push('case.read_assigned');
  }
  for (const [capability, type] of Object.entries(CASE_ACTION_CAPABILITIES)) {
    if (mayFireCaseActionAtAll(actor, ACTION_ROLES[type], ROLE_LINK[actor.role])) {
      granted.push(capability as CaseActionCapability);
    }
  }
  return granted;
}
