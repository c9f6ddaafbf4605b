import { type FormEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError } from '../api/client';
import { fieldIssueText } from '../api/fieldIssues';
import { fetchAlley, isRetryable, sendDraft } from './api';
import { CategoryField } from './CategoryField';
import { type Draft, draftProblems, newDraft, type SendOutcome } from './draft';
import { describe } from './errors';
import { useI18n } from './i18n';
import { LocationField, servedAreas } from './LocationField';
import { rememberReport } from './myReports';
import type { OutboxItem } from './outbox';
import { PhotoPicker } from './PhotoPicker';
import { outbox } from './residentOutbox';
import { Link, paths } from './router';
import { useSession } from './session';
import { Field, Notice } from './ui';

function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => {
      window.addEventListener('online', notify);
      window.addEventListener('offline', notify);
      return () => {
        window.removeEventListener('online', notify);
        window.removeEventListener('offline', notify);
      };
    },
    () => navigator.onLine,
  );
}

function useOutboxItems(): readonly OutboxItem[] {
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot);
}

/** Codes of queued reports that went out while this page was open (residentOutbox remembers them all). */
function useSentFromOutbox(): SendOutcome[] {
  const [sent, setSent] = useState<SendOutcome[]>([]);
  useEffect(() => outbox.onEvent((event) => setSent((previous) => [event.result, ...previous])), []);
  return sent;
}

function OutboxPanel({ items, online }: { items: readonly OutboxItem[]; online: boolean }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <section className="card outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('outbox.title', { count: items.length })}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id} className="outbox-item" data-status={item.status}>
            <p className="outbox-text">{item.draft.description}</p>
            <p className="hint">
              {item.draft.photos.length > 0 &&
                `${t('outbox.photos', { count: item.draft.photos.length })} · `}
              <span role="status">
                {item.status === 'waiting' && t('outbox.waiting')}
                {item.status === 'sending' && t('outbox.sending')}
                {item.status === 'failed' && t('outbox.failed', { message: item.error ?? '' })}
              </span>
            </p>
            <div className="button-row">
              {/* Offline, "send now" could only fail; the queue sends by itself when the network is back. */}
              {item.status !== 'sending' && online && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => void outbox.retry(item.id)}
                >
                  {t('outbox.sendNow')}
                </button>
              )}
              {item.status === 'failed' && (
                <button
                  type="button"
                  className="button button-danger"
                  onClick={() => void outbox.remove(item.id)}
                >
                  {t('common.delete')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Success({ outcome, onAnother }: { outcome: SendOutcome; onAnother: () => void }) {
  const { t } = useI18n();
  return (
    <section className="card success" aria-labelledby="success-title">
      <h2 id="success-title">{t('report.successTitle')}</h2>
      <p>{t('report.trackingCode')}</p>
      <p className="tracking-code" data-testid="tracking-code">
        {outcome.trackingCode}
      </p>
      <p className="hint">{t('report.successHint')}</p>
      {outcome.photosDropped && <Notice tone="warning">{t('report.photosDropped')}</Notice>}
      <div className="button-row">
        <Link className="button button-primary" to={paths.track(outcome.trackingCode)}>
          {t('report.viewProgress')}
        </Link>
        <button type="button" className="button button-secondary" onClick={onAnother}>
          {t('report.another')}
        </button>
      </div>
    </section>
  );
}

type Errors = Partial<Record<'description' | 'location' | 'general', string>>;

/** A point on an alley's line to start the pin at: its middle vertex (GeoJSON LineString or MultiLineString). */
export function alleyMiddle(
  geometry: { type: string; coordinates: unknown } | undefined,
): [number, number] | null {
  if (!geometry || !Array.isArray(geometry.coordinates)) return null;
  const line = geometry.type === 'MultiLineString' ? geometry.coordinates[0] : geometry.coordinates;
  if (!Array.isArray(line) || line.length === 0) return null;
  const middle = line[Math.floor((line.length - 1) / 2)];
  return Array.isArray(middle) && typeof middle[0] === 'number' && typeof middle[1] === 'number'
    ? [middle[0], middle[1]]
    : null;
}

export function ReportPage({ alleyId }: { alleyId?: string } = {}) {
  const { t } = useI18n();
  const { user } = useSession();
  const online = useOnline();
  const queued = useOutboxItems();
  const sentFromOutbox = useSentFromOutbox();
  const [draft, setDraft] = useState<Draft>(() => newDraft());
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const [outcome, setOutcome] = useState<SendOutcome | null>(null);
  const [justQueued, setJustQueued] = useState(false);
  // Shown to the resident, not sent: the server stores the point, not how sure the phone was of it.
  const [accuracy, setAccuracy] = useState<number | undefined>(undefined);

  const update = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));

  // From an alley's board: the report starts in that alley (pin on it, its name as the address).
  const [alleyName, setAlleyName] = useState<string | null>(null);
  useEffect(() => {
    if (!alleyId) return;
    const controller = new AbortController();
    fetchAlley(alleyId, controller.signal)
      .then((alley) => {
        setAlleyName(alley.name);
        const middle = alleyMiddle(alley.geometry as Parameters<typeof alleyMiddle>[0]);
        setDraft((current) => ({
          ...current,
          ...(current.lng === null && middle ? { lng: middle[0], lat: middle[1] } : {}),
          address: current.address || `${alley.streetName} ${alley.name}`,
        }));
      })
      .catch(() => {
        // An unknown alley leaves an ordinary report page.
      });
    return () => controller.abort();
  }, [alleyId]);

  const queue = async (toQueue: Draft) => {
    try {
      await outbox.enqueue(toQueue);
      setJustQueued(true);
      setDraft(newDraft());
    } catch (error) {
      setErrors({ general: t('outbox.storageFailed', { message: describe(t, error) }) });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setJustQueued(false);
    const problems = draftProblems(draft);
    const found: Errors = {};
    if (problems.includes('descriptionTooShort')) found.description = t('report.descriptionTooShort');
    if (problems.includes('noLocation')) found.location = t('report.noLocation');
    setErrors(found);
    if (problems.length > 0) return;

    // The same draft object, key included, goes to the server or to the queue, never a copy with a new key.
    const sending = draft;
    if (!navigator.onLine) {
      await queue(sending);
      return;
    }
    setSubmitting(true);
    try {
      const result = await sendDraft(sending);
      rememberReport({
        trackingCode: result.trackingCode,
        description: sending.description,
        at: new Date().toISOString(),
      });
      setOutcome(result);
      setDraft(newDraft());
    } catch (error) {
      if (isRetryable(error)) {
        await queue(sending);
      } else if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
        const description = error.fieldIssues.find((issue) => issue.field === 'description');
        const location = error.fieldIssues.find((issue) => ['lng', 'lat', 'crs'].includes(issue.field));
        setErrors({
          description: description && fieldIssueText(t, description),
          location: location && fieldIssueText(t, location),
          general: description || location ? t('report.fixErrors') : describe(t, error),
        });
      } else if (error instanceof ApiError && error.code === 'OUTSIDE_TERRITORY') {
        const areas = servedAreas(error);
        setErrors({ location: areas ? t('report.outsideServed', { areas }) : t('report.outside') });
      } else {
        setErrors({ general: describe(t, error) });
      }
    } finally {
      setSubmitting(false);
    }
  };

  const sentNotices = sentFromOutbox.map((sent) => (
    <Notice key={sent.trackingCode} tone="success">
      {t('outbox.sent', { code: sent.trackingCode })}{' '}
      <Link to={paths.track(sent.trackingCode)}>{t('report.viewProgress')}</Link>
    </Notice>
  ));

  if (outcome) {
    return (
      <>
        {sentNotices}
        <Success
          outcome={outcome}
          onAnother={() => {
            setOutcome(null);
            setErrors({});
          }}
        />
        <OutboxPanel items={queued} online={online} />
      </>
    );
  }

  const point =
    draft.lng !== null && draft.lat !== null ? { lng: draft.lng, lat: draft.lat, accuracy } : null;

  return (
    <>
      <h1>{t('report.title')}</h1>
      <p className="intro">{t('report.intro')}</p>
      {alleyName && <Notice tone="info">{t('report.inAlley', { alley: alleyName })}</Notice>}
      {!online && <Notice tone="warning">{t('outbox.offline')}</Notice>}
      {justQueued && <Notice tone="info">{t('outbox.queued')}</Notice>}
      {sentNotices}
      <OutboxPanel items={queued} online={online} />
      <form className="report-form" onSubmit={(event) => void submit(event)} noValidate>
        <PhotoPicker photos={draft.photos} onChange={(photos) => update({ photos })} />
        <LocationField
          point={point}
          error={errors.location ?? null}
          onChange={(picked) => {
            setAccuracy(picked.accuracy);
            update({ lng: picked.lng, lat: picked.lat });
          }}
        />
        <CategoryField
          description={draft.description}
          selected={
            draft.categoryCode
              ? { key: draft.categoryCode, name: draft.categoryName ?? draft.categoryCode }
              : null
          }
          onChange={(category) =>
            update({ categoryCode: category?.key ?? null, categoryName: category?.name ?? null })
          }
        />
        <Field label={t('report.description')} hint={t('report.descriptionHint')} error={errors.description}>
          {(props) => (
            <textarea
              {...props}
              rows={4}
              maxLength={2000}
              value={draft.description}
              onChange={(event) => update({ description: event.target.value })}
            />
          )}
        </Field>
        <details className="section">
          <summary>{t('report.details')}</summary>
          <Field label={t('report.address')}>
            {(props) => (
              <input
                {...props}
                maxLength={200}
                autoComplete="street-address"
                value={draft.address}
                onChange={(event) => update({ address: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('report.name')}>
            {(props) => (
              <input
                {...props}
                maxLength={50}
                autoComplete="name"
                value={draft.name}
                onChange={(event) => update({ name: event.target.value })}
              />
            )}
          </Field>
          <Field label={t('report.contact')}>
            {(props) => (
              <input
                {...props}
                type="tel"
                maxLength={100}
                autoComplete="tel"
                value={draft.contact}
                onChange={(event) => update({ contact: event.target.value })}
              />
            )}
          </Field>
        </details>
        {errors.general && <Notice tone="error">{errors.general}</Notice>}
        <p className="hint">
          {user ? (
            t('report.signedInHint')
          ) : (
            <Link to={paths.login(paths.report)}>{t('report.signedOutHint')}</Link>
          )}
        </p>
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? t('report.submitting') : t('report.submit')}
        </button>
      </form>
    </>
  );
}
