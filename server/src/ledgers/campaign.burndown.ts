import {
  beijingDateOf,
  beijingDayNumber,
  beijingTime,
  type LocalDate,
} from '../calendar/working-calendar.ts';

/**
 * Dynamic zero (动态清零, SPEC §4.8) as arithmetic on item histories. Pure: the service reads each item's
 * history from the case trail (or, for a pre-registered point, from its clearing), and these functions
 * say what was open when, so every figure of a burn-down can be traced to the items behind it.
 */

/** One change of the thing behind an item: after it, the item is open or cleared. */
export interface ItemChange {
  readonly at: Date;
  readonly open: boolean;
  /** The case event that made the change, when the item is a case. */
  readonly seq?: number;
  readonly action?: string;
}

export interface ItemHistory {
  readonly itemId: string;
  readonly addedAt: Date;
  /** Oldest first. A case item: one per event of its trail; a point: its clearing, if any. */
  readonly changes: readonly ItemChange[];
}

export type TransitionKind = 'added' | 'cleared' | 'reopened';

export interface ItemTransition {
  readonly at: Date;
  readonly kind: TransitionKind;
  readonly change?: ItemChange;
}

export interface BurndownDay {
  readonly date: LocalDate;
  /** Items open at the end of the day. */
  readonly open: number;
  /** Items that were cleared during the day (an item added already cleared counts here on its day). */
  readonly cleared: number;
  readonly added: number;
  /** Items whose case was reopened during the day: open(d) = open(d−1) + added − cleared + reopened. */
  readonly reopened: number;
}

function lastChangeAtOrBefore(h: ItemHistory, instant: Date): ItemChange | undefined {
  let found: ItemChange | undefined;
  for (const c of h.changes) {
    if (c.at.getTime() > instant.getTime()) break;
    found = c;
  }
  return found;
}

/**
 * What happened to an item within the campaign: it was added (open), then cleared and perhaps reopened.
 * An item whose case was already closed when it was added enters and clears at the same instant, so that
 * the day's arithmetic still adds up.
 */
export function itemTransitions(h: ItemHistory): ItemTransition[] {
  const out: ItemTransition[] = [{ at: h.addedAt, kind: 'added' }];
  let open = true;
  const before = lastChangeAtOrBefore(h, h.addedAt);
  if (before && !before.open) {
    out.push({ at: h.addedAt, kind: 'cleared', change: before });
    open = false;
  }
  for (const c of h.changes) {
    if (c.at.getTime() <= h.addedAt.getTime() || c.open === open) continue;
    out.push({ at: c.at, kind: c.open ? 'reopened' : 'cleared', change: c });
    open = c.open;
  }
  return out;
}

export interface ItemStatus {
  readonly status: 'open' | 'cleared' | 'not_added';
  /** When cleared: the clearing that holds at the instant asked about. */
  readonly clearedAt: Date | null;
  readonly clearedBy: ItemChange | null;
}

/** An item's standing at an instant, with the change that cleared it. */
export function itemStatusAt(h: ItemHistory, instant: Date): ItemStatus {
  if (h.addedAt.getTime() > instant.getTime())
    return { status: 'not_added', clearedAt: null, clearedBy: null };
  let last: ItemTransition | undefined;
  for (const t of itemTransitions(h)) {
    if (t.at.getTime() > instant.getTime()) break;
    last = t;
  }
  if (last?.kind === 'cleared') {
    return { status: 'cleared', clearedAt: last.at, clearedBy: last.change ?? null };
  }
  return { status: 'open', clearedAt: null, clearedBy: null };
}

/**
 * Open, cleared, added and reopened items per Beijing day, `from` to `to` inclusive. What happened before
 * `from` is folded into the first day's opening balance.
 */
export function burndown(items: readonly ItemHistory[], from: LocalDate, to: LocalDate): BurndownDay[] {
  const first = beijingDayNumber(beijingTime(from));
  const last = beijingDayNumber(beijingTime(to));
  if (last < first) return [];
  const size = last - first + 1;
  const added = new Array<number>(size).fill(0);
  const cleared = new Array<number>(size).fill(0);
  const reopened = new Array<number>(size).fill(0);
  let opening = 0;
  for (const h of items) {
    for (const t of itemTransitions(h)) {
      const day = beijingDayNumber(t.at) - first;
      const delta = t.kind === 'cleared' ? -1 : 1;
      if (day < 0) opening += delta;
      else if (day < size)
        (t.kind === 'added' ? added : t.kind === 'cleared' ? cleared : reopened)[day]! += 1;
    }
  }
  const days: BurndownDay[] = [];
  let open = opening;
  for (let i = 0; i < size; i++) {
    open += added[i]! - cleared[i]! + reopened[i]!;
    days.push({
      date: beijingDateOf(new Date(beijingTime(from).getTime() + i * 86_400_000)),
      open,
      cleared: cleared[i]!,
      added: added[i]!,
      reopened: reopened[i]!,
    });
  }
  return days;
}
