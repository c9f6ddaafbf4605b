/** Shapes of the ledger and campaign API, from the generated contract (server: `ledgers/*.schema.ts`). */
import type { BodyOf, QueryOf, ResponseOf, Schemas } from '../api/contract';

export type LedgerState = NonNullable<QueryOf<'/api/ledgers/cases', 'get'>['state']>;
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

export type LedgerEntry = Schemas['LedgerEntry'];

export type LedgerList = ResponseOf<'/api/ledgers/cases', 'get'>;

export type CampaignSummary = Schemas['CampaignSummary'];

export type Campaign = Schemas['Campaign'];

export type CampaignItem = Schemas['CampaignItem'];

export type BurndownDay = Schemas['BurndownDay'];

export type CreateCampaignBody = BodyOf<'/api/campaigns', 'post'>;

export type AddItemsBody = BodyOf<'/api/campaigns/{id}/items', 'post'>;

export type PointInput = NonNullable<AddItemsBody['points']>[number];

export type AddItemsResult = ResponseOf<'/api/campaigns/{id}/items', 'post'>;
