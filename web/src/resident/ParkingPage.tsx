import { useState } from 'react';
import { ApiError, api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describe } from './errors';
import { useI18n } from './i18n';
import { Link, paths } from './router';
import { useSession } from './session';
import { Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

type Space = ResponseOf<'/api/parking/spaces', 'get'>['items'][number];
type Mine = ResponseOf<'/api/parking/bookings/mine', 'get'>;
type ParkingWindow = Space['windows'][number];

const BEIJING = '+08:00';

/** The Beijing calendar day (yyyy-mm-dd) and time (HH:MM) of an instant. */
function beijingParts(iso: string): { day: string; time: string } {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return { day: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** The instant of a Beijing day and time, one day later when `nextDay`. */
function instant(day: string, time: string, nextDay = false): string {
  const t = new Date(`${day}T${time}:00${BEIJING}`);
  if (nextDay) t.setTime(t.getTime() + 24 * 3600_000);
  return t.toISOString();
}

/**
 * Shared parking (错时停车) for a resident: the spaces units offer and their weekly windows, a booking
 * form per space (one of its next openings, from and to), and the resident's own bookings with cancel,
 * check-in and check-out. The server decides every rule (windows, overlaps, no-shows); this page shows
 * its answers.
 */
export function ParkingPage() {
  const { t, language } = useI18n();
  const { can, ready } = useSession();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const booker = can('parking.book');
  const spaces = useLoad(
    (signal) => api.get<ResponseOf<'/api/parking/spaces', 'get'>>('/api/parking/spaces', undefined, signal),
    [],
  );
  const mine = useLoad(
    booker ? (signal: AbortSignal) => api.get<Mine>('/api/parking/bookings/mine', undefined, signal) : null,
    [booker],
  );
  const when = (iso: string) =>
    new Date(iso).toLocaleString(language, {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'short',
    });
  const dayName = (d: number) => t(`parking.day.${d}` as 'parking.day.1');
  const windowText = (w: ParkingWindow) =>
    t(
      w.end === w.start
        ? 'parking.window.allDay'
        : w.end < w.start
          ? 'parking.window.overnight'
          : 'parking.window',
      {
        days: w.days.map(dayName).join(t('parking.daySeparator')),
        start: w.start,
        end: w.end,
      },
    );

  const run = async (action: () => Promise<unknown>, success: string) => {
    setMessage(null);
    try {
      await action();
      setMessage({ tone: 'success', text: success });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      const known: Record<string, string> = {
        BOOKING_OVERLAP: t('parking.overlap'),
        BOOKING_SUSPENDED: t('parking.suspended'),
      };
      setMessage({ tone: 'error', text: known[code] ?? describe(t, error) });
    }
    mine.reload();
    spaces.reload();
  };

  if (!ready) return <Spinner label={t('common.loading')} />;
  return (
    <>
      <h1>{t('parking.title')}</h1>
      <p>{t('parking.intro')}</p>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {!booker && (
        <p>
          <Link className="button button-primary" to={paths.login(paths.parking)}>
            {t('nav.login')}
          </Link>{' '}
          {t('parking.signIn')}
        </p>
      )}

      <h2>{t('parking.spaces')}</h2>
      {spaces.loading && !spaces.data ? <Spinner label={t('common.loading')} /> : null}
      {spaces.error ? <Notice tone="error">{describe(t, spaces.error)}</Notice> : null}
      {spaces.data?.items.length === 0 ? <p>{t('parking.none')}</p> : null}
      <ul className="plain-list">
        {(spaces.data?.items ?? []).map((s) => (
          <li key={s.id} className="parking-space" data-testid="parking-space">
            <div className="points-item">
              <strong>{s.name}</strong> · {s.unitName}
              {s.windows.map((w) => (
                <div key={`${w.days.join()}-${w.start}`} className="option-meta">
                  {windowText(w)}
                </div>
              ))}
              {s.note ? <div className="option-meta">{s.note}</div> : null}
              {booker && s.next.length > 0 ? (
                <BookingForm
                  space={s}
                  when={when}
                  onBook={(from, to) =>
                    run(
                      () => api.post('/api/parking/bookings', { spaceId: s.id, from, to }),
                      t('parking.booked', { name: s.name }),
                    )
                  }
                />
              ) : null}
            </div>
          </li>
        ))}
      </ul>

      {booker && (
        <>
          <h2>{t('parking.mine')}</h2>
          {mine.data ? (
            <p className="option-meta" data-testid="parking-no-shows">
              {t('parking.noShows', {
                count: mine.data.noShows,
                limit: mine.data.policy.limit,
                days: mine.data.policy.days,
                grace: mine.data.policy.graceMinutes,
              })}
            </p>
          ) : null}
          {mine.data?.suspended ? <Notice tone="warning">{t('parking.suspended')}</Notice> : null}
          {mine.data?.items.length === 0 ? <p>{t('parking.noBookings')}</p> : null}
          <ul className="plain-list">
            {(mine.data?.items ?? []).map((b) => (
              <li key={b.id} data-testid="parking-booking">
                <div className="points-item">
                  <strong>{b.spaceName}</strong> · {t(`parking.state.${b.state}`)}
                  <div className="option-meta">
                    {when(b.from)} – {when(b.to)}
                  </div>
                </div>
                {b.state === 'booked' ? (
                  <>
                    <button
                      type="button"
                      className="button"
                      onClick={() =>
                        void run(
                          () => api.post(`/api/parking/bookings/${encodeURIComponent(b.id)}/check-in`),
                          t('parking.checkedIn'),
                        )
                      }
                    >
                      {t('parking.checkIn')}
                    </button>
                    <button
                      type="button"
                      className="button-link"
                      onClick={() =>
                        void run(
                          () => api.post(`/api/parking/bookings/${encodeURIComponent(b.id)}/cancel`),
                          t('parking.cancelled'),
                        )
                      }
                    >
                      {t('parking.cancel')}
                    </button>
                  </>
                ) : null}
                {b.state === 'checked_in' ? (
                  <button
                    type="button"
                    className="button"
                    onClick={() =>
                      void run(
                        () => api.post(`/api/parking/bookings/${encodeURIComponent(b.id)}/check-out`),
                        t('parking.checkedOut'),
                      )
                    }
                  >
                    {t('parking.checkOut')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** One of the space's next openings, and the times inside it; the server checks them. */
function BookingForm({
  space,
  when,
  onBook,
}: {
  space: Space;
  when: (iso: string) => string;
  onBook: (from: string, to: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [opening, setOpening] = useState(0);
  const chosen = space.next[opening] ?? space.next[0]!;
  const [from, setFrom] = useState(beijingParts(chosen.from).time);
  const [to, setTo] = useState(beijingParts(chosen.to).time);
  const [busy, setBusy] = useState(false);
  const pick = (i: number) => {
    setOpening(i);
    const o = space.next[i]!;
    setFrom(beijingParts(o.from).time);
    setTo(beijingParts(o.to).time);
  };
  const submit = async () => {
    const day = beijingParts(chosen.from).day;
    setBusy(true);
    await onBook(instant(day, from), instant(day, to, to <= from));
    setBusy(false);
  };
  return (
    <form
      className="parking-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('parking.opening')}{' '}
        <select value={opening} onChange={(e) => pick(Number(e.target.value))}>
          {space.next.map((o, i) => (
            <option key={o.from} value={i}>
              {when(o.from)} – {when(o.to)}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        {t('parking.from')}{' '}
        <input type="time" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </label>{' '}
      <label>
        {t('parking.to')} <input type="time" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>{' '}
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('parking.book')}
      </button>
    </form>
  );
}
