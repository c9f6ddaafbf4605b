/** Shapes of the public API the resident page reads (server: `cases/case.schema.ts`, territory routes). */

export interface PublicStep {
  at: string;
  action: string;
  label: string;
  state: string;
}

export interface PublicReport {
  trackingCode: string;
  caseNumber: string;
  status: string;
  statusLabel: string;
  category: string | null;
  description: string;
  street: { code: string; name: string } | null;
  alley: { id: string; name: string } | null;
  location: [number, number];
  reportedAt: string;
  closedAt: string | null;
  handlingUnit: string | null;
  supporters: number;
  rating: string | null;
  steps: PublicStep[];
  afterPhotos: { url: string; thumbUrl: string }[];
  /** The handling unit's own words on what it did; absent from servers older than this field. */
  handlerFeedback?: { text: string; at: string } | null;
  /** Set when this report was merged into an earlier one; a server without merge-following omits it. */
  mergedInto?: MergedInto | null;
}

/** The original case a duplicate report was merged into: its progress, with the public fields only. */
export interface MergedInto {
  caseNumber: string;
  status: string;
  statusLabel: string;
  category: string | null;
  handlingUnit: string | null;
  supporters: number;
  closedAt: string | null;
}

export interface ReportCreated {
  trackingCode: string;
  caseNumber: string;
}

export interface Located {
  street: { code: string; name: string };
  community: { code: string; name: string } | null;
  grid: { code: string } | null;
  alley: { id: string; name: string; distanceMeters: number } | null;
}

export interface CategoryOption {
  key: string;
  name: string;
  majorClass: string;
  public: boolean;
}

export interface PublicAlley {
  id: string;
  name: string;
  streetCode: string;
  streetName: string;
  communityName: string | null;
  alleyType: 'major_street' | 'main_street' | 'lane';
  currentTier: 'exemplary' | 'fine' | 'compliant' | null;
  targetTier: 'exemplary' | 'fine' | 'compliant' | null;
  chief: { name: string | null; title: string | null; duties: string | null; phone: string | null };
  council: string | null;
  contractorName: string | null;
  volunteerTeam: string | null;
  plan: string | null;
  residentsPact: string | null;
  cultureNote: string | null;
  noticeBoard: string | null;
  checklist: { haves: Record<string, boolean>; nots: Record<string, boolean> };
  approximate: boolean;
  /** The alley's line (GeoJSON, WGS-84). */
  geometry?: { type: string; coordinates: unknown };
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  /** The account's scope: for a resident, the community (or a grid in it) they live in, if registered. */
  scopeCode?: string | null;
}

export interface AlleyCases {
  openCount: number;
  closedCount: number;
  recent: {
    trackingCode: string;
    caseNumber: string;
    status: string;
    statusLabel: string;
    category: string | null;
    reportedAt: string;
    closedAt: string | null;
  }[];
}
