import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/client';
import { caseAction, fetchReport } from './api';
import { CategoryName } from './CategoryName';
import { describe } from './errors';
import { formatTime, useI18n } from './i18n';
import { useLabel } from './labels';
import { myReports } from './myReports';
import { Link, navigate, paths } from './router';
import { useSession } from './session';
import type { MergedInto, PublicReport } from './types';
import { Field, Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
type Rating = (typeof RATINGS)[number];

export function TrackLookup() {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const mine = myReports();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = code.trim().toUpperCase();
    if (clean) navigate(paths.track(clean));
  };
  return (
    <>
      <h1>{t('track.title')}</h1>
      <form className="card" onSubmit={submit}>
        <Field label={t('track.codeLabel')}>
          {(props) => (
            <input
              {...props}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              placeholder={t('track.codePlaceholder')}
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              required
            />
          )}
        </Field>
        <button type="submit" className="button button-primary button-block">
          {t('track.submit')}
        </button>
      </form>
      {mine.length > 0 && (
        <section className="card" aria-labelledby="mine-title">
          <h2 id="mine-title">{t('track.myReports')}</h2>
          <ul className="plain-list">
            {mine.map((report) => (
              <li key={report.trackingCode}>
                <Link to={paths.track(report.trackingCode)}>
                  <code>{report.trackingCode}</code> {report.description}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function actionError(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiError && error.code === 'OUT_OF_SCOPE') return t('track.notReporter');
  if (error instanceof ApiError && error.code === 'TRANSITION_NOT_ALLOWED') return t('track.notAllowed');
  if (error instanceof ApiError && error.status === 401) return t('track.loginToRate');
  return describe(t, error);
}

function Evaluation({ report, onChanged }: { report: PublicReport; onChanged: () => void }) {
  const { t } = useI18n();
  const { user } = useSession();
  const ratingId = useId();
  const [rating, setRating] = useState<Rating | null>(null);
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (!user) {
    return (
      <Notice tone="info">
        <Link to={paths.login(paths.track(report.trackingCode))}>{t('track.loginToRate')}</Link>
      </Notice>
    );
  }

  const fire = async (action: 'rate' | 'reopen', body: Record<string, string>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      await caseAction(report.caseNumber, action, body);
      setDone(message);
      onChanged();
    } catch (failure) {
      setError(actionError(t, failure));
    } finally {
      setBusy(false);
    }
  };

  const rate = (event: FormEvent) => {
    event.preventDefault();
    if (!rating) return;
    const body: Record<string, string> = { rating };
    if (comment.trim()) body.comment = comment.trim();
    void fire('rate', body, t('track.rated', { rating: t(`rating.${rating}`) }));
  };

  const reopen = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    void fire('reopen', { reason: reason.trim() }, t('track.reopened'));
  };

  return (
    <>
      {done && <Notice tone="success">{done}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
      {!report.rating && (
        <form className="card" onSubmit={rate} aria-labelledby={`${ratingId}-title`}>
          <h2 id={`${ratingId}-title`}>{t('track.rateTitle')}</h2>
          <fieldset className="choices">
            <legend>{t('track.rating')}</legend>
            {RATINGS.map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="rating"
                  value={value}
                  checked={rating === value}
                  onChange={() => setRating(value)}
                />
                {t(`rating.${value}`)}
              </label>
            ))}
          </fieldset>
          <Field label={t('track.comment')}>
            {(props) => (
              <textarea
                {...props}
                rows={2}
                maxLength={1000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button button-primary button-block" disabled={!rating || busy}>
            {t('track.rateSubmit')}
          </button>
        </form>
      )}
      <form className="card" onSubmit={reopen} aria-labelledby={`${ratingId}-reopen`}>
        <h2 id={`${ratingId}-reopen`}>{t('track.reopenTitle')}</h2>
        <Field label={t('track.reopenReason')}>
          {(props) => (
            <textarea
              {...props}
              rows={2}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
        <button
          type="submit"
          className="button button-secondary button-block"
          disabled={!reason.trim() || busy}
        >
          {t('track.reopenSubmit')}
        </button>
      </form>
    </>
  );
}

/**
 * A merged report stops moving on its own (SPEC §4.2): the reporter follows the original through their
 * own tracking code, so the page says so and shows where the original stands.
 */
function MergedProgress({ original }: { original: MergedInto }) {
  const { t, language } = useI18n();
  const label = useLabel();
  return (
    <section className="card" aria-labelledby="merged-title" data-testid="merged-into">
      <h2 id="merged-title">{t('track.mergedTitle')}</h2>
      <Notice tone="info">{t('track.merged')}</Notice>
      <dl className="facts">
        <dt>{t('track.caseNumber')}</dt>
        <dd>{original.caseNumber}</dd>
        <dt>{t('track.status')}</dt>
        <dd className="status" data-status={original.status}>
          {label('status', original.status, original.statusLabel)}
        </dd>
        {original.category && (
          <>
            <dt>{t('track.category')}</dt>
            <dd>
              <CategoryName categoryKey={original.category} />
            </dd>
          </>
        )}
        <dt>{t('track.unit')}</dt>
        <dd>{original.handlingUnit ?? '—'}</dd>
        {original.closedAt && (
          <>
            <dt>{t('track.closedAt')}</dt>
            <dd>{formatTime(original.closedAt, language)}</dd>
          </>
        )}
      </dl>
      {original.supporters > 0 && (
        <p className="hint">{t('track.supporters', { count: original.supporters })}</p>
      )}
    </section>
  );
}

export function TrackPage({ code }: { code: string }) {
  const { t, language } = useI18n();
  const label = useLabel();
  const report = useLoad((signal) => fetchReport(code, signal), [code]);

  if (report.loading && !report.data) return <Spinner label={t('common.loading')} />;
  if (report.error && !report.data) {
    const notFound = report.error instanceof ApiError && report.error.status === 404;
    return (
      <>
        <h1>{t('track.title')}</h1>
        <Notice tone="error">{notFound ? t('track.notFound') : describe(t, report.error)}</Notice>
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={report.reload}>
            {t('common.retry')}
          </button>
          <Link className="button button-secondary" to={paths.trackLookup}>
            {t('track.submit')}
          </Link>
        </div>
      </>
    );
  }
  if (!report.data) return null;
  const data: PublicReport = report.data;
  const closed = data.status === 'closed';

  return (
    <>
      <h1>{t('track.title')}</h1>
      <section className="card" aria-labelledby="status-title">
        <p className="hint">
          {t('track.caseNumber')} {data.caseNumber} · {t('track.codeLabel')} <code>{data.trackingCode}</code>
        </p>
        <h2 id="status-title" className="status" data-status={data.status}>
          <span className="visually-hidden">{t('common.labelled', { label: t('track.status') })}</span>
          {label('status', data.status, data.statusLabel)}
        </h2>
        {data.description && <p>{data.description}</p>}
        <dl className="facts">
          {data.category && (
            <>
              <dt>{t('track.category')}</dt>
              <dd>
                <CategoryName categoryKey={data.category} />
              </dd>
            </>
          )}
          <dt>{t('track.place')}</dt>
          <dd>
            {[data.street?.name, data.alley?.name].filter(Boolean).join(' · ') || '—'}
            {data.alley && (
              <>
                {' '}
                <Link to={paths.alley(data.alley.id)}>
                  {t('track.alleyBoard', { alley: data.alley.name })}
                </Link>
              </>
            )}
          </dd>
          <dt>{t('track.reportedAt')}</dt>
          <dd>{formatTime(data.reportedAt, language)}</dd>
          {data.closedAt && (
            <>
              <dt>{t('track.closedAt')}</dt>
              <dd>{formatTime(data.closedAt, language)}</dd>
            </>
          )}
          <dt>{t('track.unit')}</dt>
          <dd data-testid="handling-unit">{data.handlingUnit ?? '—'}</dd>
        </dl>
        {data.supporters > 0 && <p className="hint">{t('track.supporters', { count: data.supporters })}</p>}
        {data.rating && <p>{t('track.rated', { rating: label('rating', data.rating, data.rating) })}</p>}
        <button
          type="button"
          className="button button-secondary"
          onClick={report.reload}
          disabled={report.loading}
        >
          {t('track.refresh')}
        </button>
      </section>
      {data.mergedInto && <MergedProgress original={data.mergedInto} />}
      <section className="card" aria-labelledby="steps-title">
        <h2 id="steps-title">{t('track.steps')}</h2>
        <ol className="steps">
          {data.steps.map((step, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are an append-only list without ids.
            <li key={index} className="step">
              <span className="step-label">{label('step', step.action, step.label)}</span>
              <time dateTime={step.at}>{formatTime(step.at, language)}</time>
            </li>
          ))}
        </ol>
        <p className="hint">{t('track.beijingTime')}</p>
      </section>
      {data.handlerFeedback && (
        <section className="card" aria-labelledby="feedback-title" data-testid="handler-feedback">
          <h2 id="feedback-title">{t('track.feedback')}</h2>
          {data.handlingUnit && <p className="hint">{t('track.feedbackBy', { unit: data.handlingUnit })}</p>}
          <p style={{ whiteSpace: 'pre-line' }}>{data.handlerFeedback.text}</p>
          <p className="hint">
            <time dateTime={data.handlerFeedback.at}>{formatTime(data.handlerFeedback.at, language)}</time>
          </p>
        </section>
      )}
      {data.afterPhotos.length > 0 && (
        <section className="card" aria-labelledby="after-title">
          <h2 id="after-title">{t('track.afterPhotos')}</h2>
          <ul className="thumbs">
            {data.afterPhotos.map((photo, index) => (
              <li key={photo.url} className="thumb">
                <a href={photo.url} target="_blank" rel="noreferrer">
                  <img src={photo.thumbUrl} alt={t('track.afterPhotoAlt', { index: index + 1 })} />
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {closed && <Evaluation report={data} onChanged={report.reload} />}
    </>
  );
}
