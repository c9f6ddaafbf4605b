/** Shapes of the public API the resident page reads, from the generated contract (server: `cases/case.schema.ts`, territory routes). */
import type { ResponseOf, Schemas } from '../api/contract';

export type PublicReport = Schemas['PublicReportView'];

export type PublicStep = PublicReport['steps'][number];

/** The original case a duplicate report was merged into: its progress, with the public fields only. */
export type MergedInto = NonNullable<PublicReport['mergedInto']>;

export type ReportCreated = Schemas['PublicReportCreated'];

export type Located = Schemas['Location'];

/** The fields of a taxonomy entry the report form offers (a part of `TaxonomyEntry`). */
export type CategoryOption = Pick<Schemas['TaxonomyEntry'], 'key' | 'name' | 'majorClass' | 'public'>;

export type PublicAlley = Schemas['Alley'];

/** The session as the server answers it (`/api/auth/me`, and at sign-in). */
export type SessionBody = ResponseOf<'/api/auth/me', 'get'>;

/** The signed-in account and what the server lets it do (its capabilities); the CSRF token stays in the client. */
export type SignedIn = Omit<SessionBody, 'csrfToken'>;

export type SessionUser = SignedIn['user'];

/** What the server lets the signed-in account open, computed by its authorisation module. */
export type Capability = Schemas['Capability'];

export type Classification = ResponseOf<'/api/classify', 'post'>;

export type PatrolStarted = ResponseOf<'/api/patrols', 'post'>;

export type PatrolFinished = ResponseOf<'/api/patrols/{id}/finish', 'post'>;

export type AlleyCases = ResponseOf<'/api/public/alleys/{id}/cases', 'get'>;
export type AlleyShops = ResponseOf<'/api/public/alleys/{id}/shops', 'get'>;
