import type { CaseDto, CaseState } from './caseTypes';

/** `none`: no handling clock runs (not yet filed, finished, or stopped). */
export type SlaLevel = 'green' | 'yellow' | 'red' | 'none';

export interface Tone {
  text: string;
  background: string;
  border: string;
}

const tone = (text: string, background: string, border: string): Tone => ({ text, background, border });

/** Tag colours: dark text on light tints, or white on a dark colour; each pair passes 4.5:1 (sla.test.ts). */
export const SLA_COLOURS: Readonly<Record<SlaLevel, Tone>> = {
  green: tone('#135200', '#d9f7be', '#95de64'),
  yellow: tone('#613400', '#fff1b8', '#ffd666'),
  red: tone('#ffffff', '#a8071a', '#a8071a'),
  none: tone('#434343', '#f0f0f0', '#d9d9d9'),
};

/**
 * State tags in the same accessible manner as the SLA tags; antd's preset tag colours put mid-tone text
 * on a tint, which falls short of 4.5:1 for several hues.
 */
export const STATE_TONES: Readonly<Record<CaseState, Tone>> = {
  reported: tone('#873800', '#fff7e6', '#ffd591'),
  rejected: tone('#434343', '#fafafa', '#d9d9d9'),
  merged: tone('#434343', '#fafafa', '#d9d9d9'),
  accepted: tone('#003eb3', '#e6f4ff', '#91caff'),
  dispatched: tone('#10239e', '#f0f5ff', '#adc6ff'),
  handling: tone('#00474f', '#e6fffb', '#87e8de'),
  returned: tone('#780650', '#fff0f6', '#ffadd2'),
  joint_action: tone('#391085', '#f9f0ff', '#d3adf7'),
  awaiting_verification: tone('#613400', '#fffbe6', '#ffe58f'),
  awaiting_acceptance: tone('#613400', '#fffbe6', '#ffe58f'),
  suspended: tone('#434343', '#fafafa', '#d9d9d9'),
  closed: tone('#135200', '#f6ffed', '#b7eb8f'),
};

/** The share of the handling time after which a case turns yellow (SPEC §4.4 default). */
export const WARNING_SHARE = 0.8;

export const FINISHED_STATES: ReadonlySet<CaseState> = new Set(['closed', 'rejected', 'merged']);
const RANK: Record<SlaLevel, number> = { none: 0, green: 1, yellow: 2, red: 3 };

function isLevel(value: string): value is 'green' | 'yellow' | 'red' {
  return value === 'green' || value === 'yellow' || value === 'red';
}

/**
 * The server's colour is counted in working time and wins whenever it is the more urgent; between its
 * sweeps the wall clock can only make a case look more urgent, never less, so the worse of the two is
 * shown. A suspended case keeps the server's colour because its clock is stopped.
 */
export function slaLevel(
  dto: Pick<CaseDto, 'state' | 'slaState' | 'handlingDeadline' | 'createdAt'>,
  now: number,
): SlaLevel {
  if (FINISHED_STATES.has(dto.state)) return 'none';
  const server: SlaLevel = isLevel(dto.slaState) ? dto.slaState : 'none';
  if (dto.state === 'suspended' || !dto.handlingDeadline) return server === 'green' ? 'none' : server;
  const deadline = Date.parse(dto.handlingDeadline);
  const start = Date.parse(dto.createdAt);
  let local: SlaLevel = 'green';
  if (now > deadline) local = 'red';
  else if (deadline > start && (now - start) / (deadline - start) >= WARNING_SHARE) local = 'yellow';
  return RANK[server] > RANK[local] ? server : local;
}

export interface DurationParts {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** Time until the deadline (or since it, when overdue), in whole days, hours and minutes. */
export function timeLeft(deadline: string | null, now: number): DurationParts | null {
  if (!deadline) return null;
  const ms = Date.parse(deadline) - now;
  const total = Math.floor(Math.abs(ms) / 60_000);
  return {
    overdue: ms < 0,
    days: Math.floor(total / 1440),
    hours: Math.floor((total % 1440) / 60),
    minutes: total % 60,
  };
}
