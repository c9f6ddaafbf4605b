import { PUBLIC_STATE_LABELS } from '../cases/case.labels.ts';
import type { CaseSnapshot, CaseState } from '../cases/case.state.ts';
import { isOpen } from '../cases/case.state.ts';
import type { CellValue, SheetColumn } from './ledger.xlsx.ts';
import { excelBeijingTime } from './ledger.xlsx.ts';

/**
 * A ledger entry (台账条目): a case as a street office keeps it, assembled from the case row, the
 * names of where it lies and who holds it, and the latest handling and re-check from its trail.
 * Pure: the service gathers the inputs, this file decides what the entry says.
 */

/** The state of a case as the ledger names it: the public wording, except that a closed case is 销账. */
export const LEDGER_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  ...PUBLIC_STATE_LABELS,
  closed: '已销账',
};

export function stateLabel(state: string): string {
  return LEDGER_STATE_LABELS[state as CaseState] ?? state;
}

/** One event of the trail that the ledger reads. */
export interface TrailFact {
  readonly seq: number;
  readonly at: Date;
  readonly action: string;
  readonly reason: string | null;
  readonly payload: unknown;
}

export interface Verification {
  readonly passed: boolean;
  /** 核查 by an inspector, or 验收 by the street for a joint action. */
  readonly kind: 'verification' | 'acceptance';
  readonly text: string;
  readonly reason: string | null;
  readonly at: Date;
}

export interface LedgerEntryInput {
  readonly id: string;
  readonly case_number: string;
  readonly district_code: string;
  readonly category_key: string | null;
  readonly description: string;
  readonly address: string | null;
  readonly lng: number;
  readonly lat: number;
  readonly street_code: string;
  readonly community_code: string | null;
  readonly alley_id: string | null;
  readonly state: string;
  readonly snapshot: Pick<CaseSnapshot, 'assignment'>;
  readonly assigned_org_id: string | null;
  readonly created_at: Date;
  readonly handling_deadline: Date | null;
  readonly closed_at: Date | null;
  readonly street_name: string | null;
  readonly community_name: string | null;
  readonly alley_name: string | null;
}

export interface LedgerLookups {
  readonly categoryName: (districtCode: string, key: string) => string | undefined;
  readonly organisationName: (id: string) => string | undefined;
  readonly user: (id: string) => { name: string; organisationId: string | null } | undefined;
  readonly facts: (caseId: string) => readonly TrailFact[];
}

export interface LedgerEntry {
  readonly id: string;
  readonly caseNumber: string;
  readonly categoryKey: string | null;
  /** 问题类型: the taxonomy's name for the key, else the key. */
  readonly problemType: string;
  readonly description: string;
  /** 位置: the address, else street and community with the coordinates. */
  readonly location: string;
  readonly lng: number;
  readonly lat: number;
  readonly streetCode: string;
  readonly streetName: string | null;
  readonly alleyId: string | null;
  readonly alleyName: string | null;
  /** 责任单位: the unit, the summoned units, or the tier-1 handler's office and name. */
  readonly responsibleUnit: string | null;
  readonly foundAt: Date;
  readonly deadline: Date | null;
  readonly state: string;
  readonly stateLabel: string;
  readonly open: boolean;
  /** 整改情况: the latest feedback note. */
  readonly rectification: string | null;
  readonly rectifiedAt: Date | null;
  /** 复核结果: the latest verification or acceptance. */
  readonly verification: Verification | null;
  readonly closedAt: Date | null;
}

const round = (v: number) => v.toFixed(5);

function verificationOf(f: TrailFact): Verification | null {
  const note = noteOf(f.payload);
  switch (f.action) {
    case 'verify_pass':
      return { passed: true, kind: 'verification', text: withTail('通过', note), reason: note, at: f.at };
    case 'verify_fail':
      return {
        passed: false,
        kind: 'verification',
        text: withTail('未通过', f.reason),
        reason: f.reason,
        at: f.at,
      };
    case 'accept_joint_action':
      return {
        passed: true,
        kind: 'acceptance',
        text: withTail('通过（街道验收）', note),
        reason: note,
        at: f.at,
      };
    case 'refuse_joint_action':
      return {
        passed: false,
        kind: 'acceptance',
        text: withTail('未通过（街道验收）', f.reason),
        reason: f.reason,
        at: f.at,
      };
    default:
      return null;
  }
}

function withTail(head: string, tail: string | null): string {
  return tail ? `${head}：${tail}` : head;
}

function noteOf(payload: unknown): string | null {
  if (payload && typeof payload === 'object' && 'note' in payload) {
    const note = (payload as { note: unknown }).note;
    return typeof note === 'string' && note.trim() !== '' ? note.trim() : null;
  }
  return null;
}

function responsibleUnit(row: LedgerEntryInput, lookups: LedgerLookups): string | null {
  const assignment = row.snapshot.assignment;
  const orgName = (id: string) => lookups.organisationName(id) ?? id;
  if (assignment?.kind === 'unit') return orgName(assignment.unitId);
  if (assignment?.kind === 'joint') return assignment.unitIds.map(orgName).join('、');
  if (assignment?.kind === 'handler') {
    const user = lookups.user(assignment.userId);
    if (!user) return null;
    const office = user.organisationId ? lookups.organisationName(user.organisationId) : undefined;
    return office ? `${office}（${user.name}）` : user.name;
  }
  return row.assigned_org_id ? orgName(row.assigned_org_id) : null;
}

export function ledgerEntry(row: LedgerEntryInput, lookups: LedgerLookups): LedgerEntry {
  const facts = lookups.facts(row.id);
  let feedback: TrailFact | undefined;
  let verification: Verification | null = null;
  for (const f of facts) {
    if (f.action === 'feedback') feedback = f;
    else verification = verificationOf(f) ?? verification;
  }
  const place = `${row.street_name ?? row.street_code}${row.community_name ?? ''}`;
  return {
    id: row.id,
    caseNumber: row.case_number,
    categoryKey: row.category_key,
    problemType: row.category_key
      ? (lookups.categoryName(row.district_code, row.category_key) ?? row.category_key)
      : '',
    description: row.description,
    location: row.address?.trim() ? row.address.trim() : `${place}（${round(row.lng)}, ${round(row.lat)}）`,
    lng: row.lng,
    lat: row.lat,
    streetCode: row.street_code,
    streetName: row.street_name,
    alleyId: row.alley_id,
    alleyName: row.alley_name,
    responsibleUnit: responsibleUnit(row, lookups),
    foundAt: row.created_at,
    deadline: row.handling_deadline,
    state: row.state,
    stateLabel: stateLabel(row.state),
    open: isOpen({ state: row.state as CaseState }),
    rectification: feedback ? noteOf(feedback.payload) : null,
    rectifiedAt: feedback?.at ?? null,
    verification,
    closedAt: row.closed_at,
  };
}

/** The columns a street office keeps, in its order and with its headers. */
export const CASE_LEDGER_COLUMNS: readonly SheetColumn[] = [
  { header: '编号', width: 22 },
  { header: '问题类型', width: 18 },
  { header: '位置', width: 36 },
  { header: '街巷', width: 16 },
  { header: '责任单位', width: 28 },
  { header: '发现时间', width: 18, kind: 'datetime' },
  { header: '时限', width: 18, kind: 'datetime' },
  { header: '状态', width: 12 },
  { header: '整改情况', width: 40 },
  { header: '复核结果', width: 30 },
  { header: '销账时间', width: 18, kind: 'datetime' },
];

export function caseLedgerCells(e: LedgerEntry): CellValue[] {
  return [
    e.caseNumber,
    e.problemType,
    e.location,
    e.alleyName,
    e.responsibleUnit,
    excelBeijingTime(e.foundAt),
    excelBeijingTime(e.deadline),
    e.stateLabel,
    e.rectification,
    e.verification?.text ?? null,
    excelBeijingTime(e.closedAt),
  ];
}

export function ledgerEntryDto(e: LedgerEntry) {
  return {
    ...e,
    foundAt: e.foundAt.toISOString(),
    deadline: e.deadline?.toISOString() ?? null,
    rectifiedAt: e.rectifiedAt?.toISOString() ?? null,
    verification: e.verification ? { ...e.verification, at: e.verification.at.toISOString() } : null,
    closedAt: e.closedAt?.toISOString() ?? null,
  };
}
export type LedgerEntryDto = ReturnType<typeof ledgerEntryDto>;
