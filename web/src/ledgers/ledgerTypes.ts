/** Shapes of the ledger and campaign API (server: `ledgers/ledger.schema.ts`, `ledgers/campaign.schema.ts`). */

export type LedgerState = 'open' | 'closed' | 'all';
export const LEDGER_STATES: readonly LedgerState[] = ['open', 'closed', 'all'];

/** What `GET /api/ledgers/cases` and its `.xlsx` twin select by. */
export interface LedgerSelection {
  street?: string;
  state: LedgerState;
  /** Beijing calendar dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
  category?: string;
  /** An organisation id: only the cases that unit is responsible for. */
  unit?: string;
}

export interface LedgerEntry {
  id: string;
  caseNumber: string;
  categoryKey: string | null;
  problemType: string;
  description: string;
  location: string;
  lng: number;
  lat: number;
  streetCode: string;
  streetName: string | null;
  alleyId: string | null;
  alleyName: string | null;
  responsibleUnit: string | null;
  foundAt: string;
  deadline: string | null;
  state: string;
  stateLabel: string;
  open: boolean;
  rectification: string | null;
  rectifiedAt: string | null;
  verification: {
    passed: boolean;
    kind: 'verification' | 'acceptance';
    text: string;
    reason: string | null;
    at: string;
  } | null;
  closedAt: string | null;
}

export interface LedgerList {
  items: LedgerEntry[];
  total: number;
  open: number;
  closed: number;
}

export interface CampaignSummary {
  id: string;
  districtCode: string;
  name: string;
  description: string;
  categoryKeys: string[];
  scopeCode: string;
  startsAt: string;
  endsAt: string | null;
  target: 'dynamic_zero';
  createdBy: string | null;
  createdAt: string;
  items: number;
  open: number;
  cleared: number;
}

export interface Campaign extends CampaignSummary {
  scopeName: string | null;
  categories: { key: string; name: string }[];
  atZero: boolean;
}

export interface CampaignItem {
  id: string;
  kind: 'case' | 'point';
  caseId: string | null;
  caseNumber: string | null;
  caseState: string | null;
  problemType: string;
  label: string;
  location: string;
  lng: number;
  lat: number;
  alleyName: string | null;
  responsibleUnit: string | null;
  addedAt: string;
  status: 'open' | 'cleared' | 'not_added';
  clearedAt: string | null;
  clearedBy: { seq: number | null; action: string; at: string } | null;
  clearNote: string | null;
}

export interface BurndownDay {
  date: string;
  open: number;
  cleared: number;
  added: number;
  reopened: number;
}

export interface CreateCampaignBody {
  name: string;
  description?: string;
  categoryKeys: string[];
  scopeCode: string;
  startsAt?: string;
  endsAt?: string;
}

export interface PointInput {
  lng: number;
  lat: number;
  label: string;
}

export interface AddItemsBody {
  caseIds?: string[];
  points?: PointInput[];
  addMatching?: boolean;
}

export interface AddItemsResult {
  added: number;
  skipped: {
    ref: string;
    code: 'not_found' | 'outside_scope' | 'not_open' | 'other_category' | 'already_in';
    reason: string;
  }[];
}
