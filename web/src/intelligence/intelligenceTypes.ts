/** The intelligence endpoints' shapes (server: hotissues/, forecasts/, themes/). */

export interface HotIssue {
  rank: number;
  heat: number;
  place: string;
  description: string;
  from: string;
  to: string;
  people: number;
  support: number;
  caseIds: string[];
  caseNumbers: string[];
  categoryKeys: string[];
  streetCode: string | null;
  lng: number;
  lat: number;
}

export type TaskKind = 'patrol' | 'campaign' | 'notice';
export type TaskState = 'proposed' | 'accepted' | 'dismissed';

export interface ProactiveTask {
  id: string;
  weekStart: string;
  scopeCode: string;
  scopeName: string;
  categoryKey: string;
  categoryName: string;
  kind: TaskKind;
  model: string;
  forecast: number;
  low: number;
  high: number;
  normal: number;
  state: TaskState;
  decidedAt: string | null;
  reason: string | null;
  actual: number | null;
  came: boolean | null;
}

export interface TaskStats {
  proposed: number;
  accepted: number;
  dismissed: number;
  evaluated: number;
  came: number;
  cameWhenAccepted: number;
  evaluatedAccepted: number;
}

export interface SeriesOutlook {
  place: string;
  categoryKey: string;
  forecast: number;
  low: number;
  high: number;
  normal: number;
  lastWeek: number;
  aboveNormal: boolean;
}

export interface NextWeek {
  weekStart: string;
  model: string;
  mase: number;
  coverage80: number;
  historyWeeks: number;
  total: number;
  series: SeriesOutlook[];
}

export type ThemeState = 'proposed' | 'adopted' | 'dismissed';

export interface Theme {
  id: string;
  month: string;
  scopeCode: string;
  title: string;
  problem: string;
  place: string;
  people: number;
  caseCount: number;
  heat: number;
  categoryKeys: string[];
  departments: { id: string; name: string }[];
  rootFix: string;
  caseIds: string[];
  state: ThemeState;
  campaignId: string | null;
  campaign: { id: string; items: number; open: number; cleared: number; atZero: boolean } | null;
  decidedAt: string | null;
}
