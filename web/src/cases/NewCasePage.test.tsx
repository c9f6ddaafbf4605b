import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes, useParams } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User, UsualFilingChannel } from '../api/types';
import zhCN from '../i18n/zh-CN.json';
import { zhCN as residentZh } from '../resident/messages';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { NewCasePage } from './NewCasePage';

// The pin map is WebGL and lazy; this test places the point with the current location instead.
vi.mock('../resident/PinMap', () => ({ default: () => <p>map</p> }));

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '指挥中心',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: 'org-street-110102001',
  organisationName: null,
  phone: null,
  active: true,
};

const t = zhCN.cases.new;

function grantLocation(lng: number, lat: number) {
  const geolocation: Pick<Geolocation, 'getCurrentPosition'> = {
    getCurrentPosition: (success) =>
      success({
        coords: { longitude: lng, latitude: lat, accuracy: 12 } as GeolocationCoordinates,
        timestamp: Date.now(),
      } as GeolocationPosition),
  };
  Object.defineProperty(navigator, 'geolocation', { value: geolocation, configurable: true });
}

function Opened() {
  const { id } = useParams();
  return <p>opened {id}</p>;
}

function renderPage(user: User = dispatcher, filingChannel: UsualFilingChannel | null = 'staff') {
  return renderConsoleRoute({
    user,
    filingChannel,
    path: '/cases/new',
    element: (
      <Routes>
        <Route path="/cases/new" element={<NewCasePage />} />
        <Route path="/cases/:id" element={<Opened />} />
      </Routes>
    ),
  });
}

interface Sent {
  form: FormData;
  headers: Record<string, string>;
}

/** A fake server: the classifier's suggestion, a one-entry taxonomy search, the place, and POST /api/cases. */
function serve(filed: (sent: Sent) => Response) {
  const sent: Sent[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/classify'))
        return json(200, {
          modelVersion: 'm1',
          suggestions: [{ label: 'event:06010', name: '暴露垃圾', probability: 0.73 }],
        });
      if (url.startsWith('/api/taxonomy'))
        return json(200, {
          items: [{ key: 'event:06010', name: '暴露垃圾', majorClass: '市容环境', public: true }],
        });
      if (url.startsWith('/api/territory/locate'))
        return json(200, {
          street: { code: '110102001', name: '西长安街街道' },
          community: null,
          grid: null,
          alley: null,
        });
      if (url === '/api/cases' && init?.method === 'POST') {
        const one = { form: init.body as FormData, headers: init.headers as Record<string, string> };
        sent.push(one);
        return filed(one);
      }
      return json(404, { error: { code: 'NOT_FOUND', message: `no ${url}` } });
    }),
  );
  return sent;
}

async function fillForm() {
  grantLocation(116.3823, 39.9113);
  fireEvent.change(screen.getByLabelText(t.description), { target: { value: '来电反映胡同口垃圾成堆' } });
  fireEvent.click(screen.getByRole('button', { name: residentZh['report.useMyLocation'] }));
  await screen.findByText('西长安街街道');
}

describe('NewCasePage', () => {
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('files a phone call with the caller, the category and a photo, then opens the new case', async () => {
    const sent = serve(() =>
      json(201, { id: 'case_9', caseNumber: '110102-20261207-00009', trackingCode: 'X' }),
    );
    renderPage();
    // A desk's filing starts at the desk and asks for the visitor.
    expect(screen.getByLabelText(t.contact.visitorName)).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: t.channels.hotline }));
    const name = await screen.findByLabelText(t.contact.callerName);
    fireEvent.change(name, { target: { value: '王女士' } });
    fireEvent.change(screen.getByLabelText(t.contact.callerPhone), { target: { value: '13900001111' } });
    await fillForm();

    // The classifier's suggestion for the description comes first, ready to take.
    fireEvent.click(await screen.findByRole('button', { name: '选择“暴露垃圾”' }, { timeout: 5000 }));
    await screen.findByText(/已选：暴露垃圾/);

    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'scene.jpg', { type: 'image/jpeg' });
    fireEvent.change(screen.getByLabelText(residentZh['report.addPhotos']), { target: { files: [photo] } });
    await screen.findByRole('button', { name: /1/ });

    fireEvent.click(screen.getByRole('button', { name: plain(t.submit) }));
    expect(await screen.findByText('opened case_9')).toBeTruthy();
    expect(sent).toHaveLength(1);
    const { form, headers } = sent[0]!;
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'photos'))).toEqual({
      channel: 'hotline',
      description: '来电反映胡同口垃圾成堆',
      lng: '116.3823',
      lat: '39.9113',
      crs: 'wgs84',
      categoryCode: 'event:06010',
      reporterName: '王女士',
      reporterContact: '13900001111',
    });
    expect(form.getAll('photos')).toHaveLength(1);
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it("says the server's refusal in the page's words, under the field, and keeps the key for the retry", async () => {
    const sent = serve(() =>
      json(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: {
            fields: [
              {
                field: 'description',
                code: 'too_small',
                params: { origin: 'string', minimum: 5, inclusive: true },
                message: 'Too small: expected string to have >=5 characters',
              },
              {
                field: 'reporterContact',
                code: 'too_big',
                params: { origin: 'string', maximum: 100, inclusive: true },
                message: 'Too big: expected string to have <=100 characters',
              },
            ],
          },
        },
      }),
    );
    renderPage();
    await fillForm();
    fireEvent.click(screen.getByRole('button', { name: plain(t.submit) }));
    // Worded from the code and parameters, under the field it names.
    const tooShort = await screen.findByText(zhCN.validation.tooShort.replace('{{min}}', '5'));
    expect(
      tooShort.closest('.ant-form-item')?.querySelector('textarea#staff-filing_description'),
    ).toBeTruthy();
    const tooLong = await screen.findByText(zhCN.validation.tooLong.replace('{{max}}', '100'));
    expect(
      tooLong.closest('.ant-form-item')?.querySelector('input#staff-filing_reporterContact'),
    ).toBeTruthy();
    expect(screen.queryByText(/Too big|Too small/)).toBeNull();
    expect(screen.queryByText(/not valid/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: plain(t.submit) }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]!.headers['Idempotency-Key']).toBe(sent[0]!.headers['Idempotency-Key']);
  }, 60_000);

  it('asks for a place before sending anything', async () => {
    const sent = serve(() => json(500, {}));
    renderPage();
    fireEvent.change(screen.getByLabelText(t.description), { target: { value: '巡查发现井盖缺失' } });
    fireEvent.click(screen.getByRole('button', { name: plain(t.submit) }));
    expect(await screen.findByText(t.locationRequired)).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it('starts on the channel the server names for the account, whatever its role', async () => {
    const sent = serve(() =>
      json(201, { id: 'case_10', caseNumber: '110102-20261207-00010', trackingCode: 'Y' }),
    );
    // The same dispatcher's account, but the session says its filings come from patrols.
    renderPage(dispatcher, 'patrol');
    const patrol = screen.getByRole('radio', { name: t.channels.patrol }) as HTMLInputElement;
    expect(patrol.checked).toBe(true);
    await fillForm();
    fireEvent.click(await screen.findByRole('button', { name: '选择“暴露垃圾”' }, { timeout: 5000 }));
    await screen.findByText(/已选：暴露垃圾/);
    fireEvent.click(screen.getByRole('button', { name: plain(t.submit) }));
    expect(await screen.findByText('opened case_10')).toBeTruthy();
    expect(sent[0]?.form.get('channel')).toBe('patrol');
  }, 60_000);
});
