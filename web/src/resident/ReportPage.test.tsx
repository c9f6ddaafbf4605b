import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { I18nProvider } from './i18n';
import { servedAreas } from './LocationField';
import { zhCN } from './messages';
import { alleyMiddle, ReportPage } from './ReportPage';
import { outbox } from './residentOutbox';

function setOnline(value: boolean) {
  Object.defineProperty(navigator, 'onLine', { value, configurable: true });
}

function renderPage() {
  return render(
    <I18nProvider initial="zh-CN">
      <ReportPage />
    </I18nProvider>,
  );
}

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

describe('ReportPage', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
  });

  afterEach(async () => {
    setOnline(true);
    for (const item of outbox.snapshot()) await outbox.remove(item.id);
  });

  it('labels every input', () => {
    renderPage();
    expect(screen.getByLabelText(zhCN['report.description'])).toBeTruthy();
    expect(screen.getByLabelText(zhCN['report.categorySearch'])).toBeTruthy();
    expect(screen.getByLabelText(zhCN['report.address'])).toBeTruthy();
    expect(screen.getByLabelText(zhCN['report.contact'])).toBeTruthy();
    expect(screen.getByLabelText(zhCN['report.addPhotos'])).toBeTruthy();
  });

  it('names what is missing instead of sending', async () => {
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: zhCN['report.submit'] }));
    expect(await screen.findByText(zhCN['report.descriptionTooShort'])).toBeTruthy();
    expect(screen.getByText(zhCN['report.noLocation'])).toBeTruthy();
  });

  it('keeps the report on the device while offline, with its idempotency key', async () => {
    setOnline(false);
    grantLocation(116.3823, 39.9113);
    renderPage();
    expect(screen.getByText(zhCN['outbox.offline'])).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: zhCN['report.useMyLocation'] }));
    fireEvent.change(screen.getByLabelText(zhCN['report.description']), {
      target: { value: '胡同口垃圾成堆' },
    });
    fireEvent.click(screen.getByRole('button', { name: zhCN['report.submit'] }));
    expect(await screen.findByText(zhCN['outbox.queued'])).toBeTruthy();
    await waitFor(() => expect(outbox.snapshot()).toHaveLength(1));
    const [item] = outbox.snapshot();
    expect(item?.draft).toMatchObject({ description: '胡同口垃圾成堆', lng: 116.3823, lat: 39.9113 });
    expect(item?.draft.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByText('胡同口垃圾成堆')).toBeTruthy();
    // The form starts a new draft, so the next report gets a key of its own.
    expect((screen.getByLabelText(zhCN['report.description']) as HTMLTextAreaElement).value).toBe('');
  });

  it("words the server's refusal of the description in Chinese under that field, never its English", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        if (String(input).includes('/api/public/reports') && init?.method === 'POST') {
          return new Response(
            JSON.stringify({
              error: {
                code: 'VALIDATION_FAILED',
                message: 'Invalid body: description',
                details: {
                  fields: [
                    {
                      field: 'description',
                      code: 'too_small',
                      params: { origin: 'string', minimum: 10, inclusive: true },
                      message: 'Too small: expected string to have >=10 characters',
                    },
                  ],
                },
              },
            }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          );
        }
        throw new TypeError('Failed to fetch');
      }),
    );
    grantLocation(116.3823, 39.9113);
    renderPage();
    fireEvent.click(screen.getByRole('button', { name: zhCN['report.useMyLocation'] }));
    fireEvent.change(screen.getByLabelText(zhCN['report.description']), {
      target: { value: '胡同口垃圾成堆' },
    });
    fireEvent.click(screen.getByRole('button', { name: zhCN['report.submit'] }));
    const shown = await screen.findByText(zhCN['validation.tooShort'].replace('{{min}}', '10'));
    const description = screen.getByLabelText(zhCN['report.description']);
    expect(description.getAttribute('aria-describedby')?.split(' ')).toContain(shown.id);
    expect(screen.queryByText(/Too small/)).toBeNull();
  });
});

describe('alleyMiddle', () => {
  it('starts the pin on the middle vertex of the alley line', () => {
    expect(
      alleyMiddle({
        type: 'LineString',
        coordinates: [
          [116.1, 39.1],
          [116.2, 39.2],
          [116.3, 39.3],
        ],
      }),
    ).toEqual([116.2, 39.2]);
    expect(alleyMiddle({ type: 'MultiLineString', coordinates: [[[116.1, 39.1]]] })).toEqual([116.1, 39.1]);
    expect(alleyMiddle(undefined)).toBeNull();
    expect(alleyMiddle({ type: 'LineString', coordinates: [] })).toBeNull();
  });
});

describe('servedAreas', () => {
  it('reads the served districts from an OUTSIDE_TERRITORY refusal', () => {
    const refusal = new ApiError(404, 'OUTSIDE_TERRITORY', 'outside', { served: ['西城区', '东城区'] });
    expect(servedAreas(refusal)).toBe('西城区、东城区');
    expect(servedAreas(new ApiError(404, 'OUTSIDE_TERRITORY', 'outside'))).toBeNull();
    expect(servedAreas(new Error('x'))).toBeNull();
  });
});
