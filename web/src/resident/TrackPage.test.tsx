import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json, requestUrl } from '../test-support';
import { I18nProvider } from './i18n';
import { zhCN } from './messages';
import { SessionProvider } from './session';
import { TrackPage } from './TrackPage';
import type { PublicReport } from './types';

const closed: PublicReport = {
  trackingCode: 'A2YVW1WTFV',
  caseNumber: '110102-20261120-00001',
  status: 'closed',
  statusLabel: '已结案',
  category: 'event:06010',
  description: '门口垃圾堆了三天',
  street: { code: '110102001', name: '西长安街街道' },
  alley: { id: '110102001-0004', name: '力学胡同' },
  location: [116.3823, 39.9113],
  reportedAt: '2026-11-20T01:00:00.000Z',
  closedAt: '2026-11-20T06:00:00.000Z',
  handlingUnit: '西长安街街道城管执法队',
  supporters: 0,
  rating: null,
  steps: [
    { at: '2026-11-20T01:00:00.000Z', action: 'report', label: '已上报', state: 'reported' },
    { at: '2026-11-20T06:00:00.000Z', action: 'verify_pass', label: '核查通过，已结案', state: 'closed' },
  ],
  afterPhotos: [{ url: '/api/media/m1/public', thumbUrl: '/api/media/m1/thumb' }],
  handlerFeedback: { text: '已组织保洁人员清运，现场已清理干净。', at: '2026-11-20T05:00:00.000Z' },
  mergedInto: null,
};

const resident = { id: 'usr_r', username: 'demo-resident', displayName: '示例居民', role: 'resident' };

function renderTrack(routes: Record<string, (init?: RequestInit) => Response>) {
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = requestUrl(input);
    const route = routes[`${init?.method ?? 'GET'} ${url}`];
    return route ? route(init) : json(404, { error: { code: 'NOT_FOUND', message: url } });
  });
  vi.stubGlobal('fetch', fetchMock);
  render(
    <I18nProvider initial="zh-CN">
      <SessionProvider>
        <TrackPage code="A2YVW1WTFV" />
      </SessionProvider>
    </I18nProvider>,
  );
  return fetchMock;
}

const report = () => json(200, closed);
const category = () => json(200, { entry: { name: '暴露垃圾' } });

describe('TrackPage', () => {
  it('shows the steps, the unit and the after-photos, and asks an anonymous visitor to sign in to rate', async () => {
    renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': report,
      'GET /api/taxonomy/event%3A06010': category,
      'GET /api/auth/me': () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }),
    });
    expect(await screen.findByRole('heading', { name: /已结案/ })).toBeTruthy();
    expect(screen.getByText('西长安街街道城管执法队')).toBeTruthy();
    expect(screen.getByText('核查通过，已结案')).toBeTruthy();
    expect(screen.getByRole('img', { name: '处置后照片 1' })).toBeTruthy();
    // The unit's own words, and the times said to be Beijing's (05:00 UTC is 13:00 in Beijing).
    const feedback = screen.getByTestId('handler-feedback');
    expect(feedback.textContent).toContain('已组织保洁人员清运，现场已清理干净。');
    expect(feedback.textContent).toContain('西长安街街道城管执法队的答复');
    expect(feedback.textContent).toContain('13:00');
    expect(screen.getByText(zhCN['track.beijingTime'])).toBeTruthy();
    expect(await screen.findByText('暴露垃圾')).toBeTruthy();
    expect(await screen.findByRole('link', { name: zhCN['track.loginToRate'] })).toBeTruthy();
  });

  it('rates as the signed-in reporter through the case action', async () => {
    const fetchMock = renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': report,
      'GET /api/taxonomy/event%3A06010': category,
      'GET /api/auth/me': () => json(200, { user: resident, capabilities: [], csrfToken: 'csrf' }),
      'POST /api/cases/110102-20261120-00001/actions/rate': () => json(200, { case: {}, event: {} }),
    });
    fireEvent.click(await screen.findByRole('radio', { name: '满意' }));
    fireEvent.click(screen.getByRole('button', { name: zhCN['track.rateSubmit'] }));
    await screen.findByText('您的评价：满意');
    const call = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({ rating: 'satisfied' });
    expect(new Headers(call?.[1]?.headers).get('X-CSRF-Token')).toBe('csrf');
  });

  it('explains that only the reporter may rate', async () => {
    renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': report,
      'GET /api/taxonomy/event%3A06010': category,
      'GET /api/auth/me': () => json(200, { user: resident, capabilities: [], csrfToken: 'csrf' }),
      'POST /api/cases/110102-20261120-00001/actions/reopen': () =>
        json(403, { error: { code: 'OUT_OF_SCOPE', message: 'not yours' } }),
    });
    fireEvent.change(await screen.findByLabelText(zhCN['track.reopenReason']), {
      target: { value: '垃圾又堆起来了' },
    });
    fireEvent.click(screen.getByRole('button', { name: zhCN['track.reopenSubmit'] }));
    await waitFor(() => expect(screen.getByText(zhCN['track.notReporter'])).toBeTruthy());
  });

  it('tells the reporter of a merged duplicate where the earlier report stands', async () => {
    const merged = {
      ...closed,
      status: 'merged',
      statusLabel: '已并案',
      closedAt: null,
      handlingUnit: null,
      steps: [
        { at: '2026-11-20T01:00:00.000Z', action: 'report', label: '已上报', state: 'reported' },
        { at: '2026-11-20T02:00:00.000Z', action: 'merge', label: '已并案', state: 'merged' },
      ],
      afterPhotos: [],
      mergedInto: {
        caseNumber: '110102-20261119-00007',
        status: 'handling',
        statusLabel: '处置中',
        category: 'event:06010',
        handlingUnit: '西长安街街道城管执法队',
        supporters: 2,
        closedAt: null,
      },
    };
    renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': () => json(200, merged),
      'GET /api/taxonomy/event%3A06010': category,
      'GET /api/auth/me': () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }),
    });
    const section = await screen.findByTestId('merged-into');
    const within = (text: string) => expect(section.textContent).toContain(text);
    within(zhCN['track.mergedTitle']);
    within(zhCN['track.merged']);
    within('110102-20261119-00007');
    within(zhCN['status.handling']);
    within('西长安街街道城管执法队');
    within('2 人附议');
    // The duplicate itself has no unit of its own; the original's is shown only in the notice.
    expect(screen.getByTestId('handling-unit').textContent).toBe('—');
  });

  it('shows no merge notice for a report that was not merged', async () => {
    renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': () => json(200, { ...closed, mergedInto: null }),
      'GET /api/taxonomy/event%3A06010': category,
      'GET /api/auth/me': () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }),
    });
    expect(await screen.findByRole('heading', { name: /已结案/ })).toBeTruthy();
    expect(screen.queryByTestId('merged-into')).toBeNull();
  });

  it('says when no report has the code', async () => {
    renderTrack({
      'GET /api/public/reports/A2YVW1WTFV': () => json(404, { error: { code: 'NOT_FOUND', message: 'no' } }),
      'GET /api/auth/me': () => json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } }),
    });
    expect(await screen.findByText(zhCN['track.notFound'])).toBeTruthy();
  });
});
