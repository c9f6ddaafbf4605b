/** The intelligence endpoints' shapes, from the generated contract (server: hotissues/, forecasts/, themes/). */
import type { ResponseOf } from '../api/contract';

export type HotIssue = ResponseOf<'/api/hot-issues', 'get'>['issues'][number];

export type ProactiveTask = ResponseOf<'/api/proactive-tasks', 'get'>[number];
export type TaskKind = ProactiveTask['kind'];
export type TaskState = ProactiveTask['state'];

export type TaskStats = ResponseOf<'/api/proactive-tasks/stats', 'get'>;

export type NextWeek = ResponseOf<'/api/forecasts/next-week', 'get'>;
export type SeriesOutlook = NextWeek['series'][number];

export type Theme = ResponseOf<'/api/themes', 'get'>[number];
export type ThemeState = Theme['state'];
