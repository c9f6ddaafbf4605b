import { api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describe } from './errors';
import { useI18n } from './i18n';
import { Link, paths } from './router';
import { useSession } from './session';
import { Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

type Mine = ResponseOf<'/api/volunteers/me', 'get'>;

/**
 * A volunteer's service certificate (志愿服务证明), printable on A4: the teams they serve in, the hours
 * the organisers confirmed, and each activity attended. Everything on it is the server's record of
 * confirmed attendance; nothing is typed in here.
 */
export function CertificatePage() {
  const { t, language } = useI18n();
  const { user, can, ready } = useSession();
  const allowed = !!user && can('volunteer.apply');
  const mine = useLoad(
    allowed ? (signal: AbortSignal) => api.get<Mine>('/api/volunteers/me', undefined, signal) : null,
    [allowed],
  );
  const day = (iso: string | Date) =>
    new Date(iso).toLocaleDateString(language, { timeZone: 'Asia/Shanghai', dateStyle: 'long' });

  if (!ready) return <Spinner label={t('common.loading')} />;
  if (!allowed) {
    return (
      <>
        <h1>{t('certificate.title')}</h1>
        <p>{t('certificate.signIn')}</p>
        <Link className="button button-primary" to={paths.login(paths.certificate)}>
          {t('nav.login')}
        </Link>
      </>
    );
  }
  if (mine.error) return <Notice tone="error">{describe(t, mine.error)}</Notice>;
  if (!mine.data) return <Spinner label={t('common.loading')} />;
  const teams = mine.data.memberships.filter((m) => m.state === 'approved');
  if (teams.length === 0) {
    return (
      <>
        <h1>{t('certificate.title')}</h1>
        <Notice tone="info">{t('certificate.none')}</Notice>
      </>
    );
  }
  return (
    <article className="certificate card" data-testid="certificate">
      <h1>{t('certificate.title')}</h1>
      <p className="certificate-lead">
        {t('certificate.lead', {
          name: user.displayName,
          teams: teams.map((m) => m.teamName).join('、'),
          hours: mine.data.hours,
          count: mine.data.activities.length,
        })}
      </p>
      <table className="certificate-table">
        <thead>
          <tr>
            <th>{t('certificate.date')}</th>
            <th>{t('certificate.team')}</th>
            <th>{t('certificate.activity')}</th>
            <th>{t('certificate.hours')}</th>
          </tr>
        </thead>
        <tbody>
          {mine.data.activities.map((a) => (
            <tr key={a.activityId}>
              <td>{day(a.startsAt)}</td>
              <td>{a.teamName}</td>
              <td>{a.title}</td>
              <td>{a.hours}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="option-meta">{t('certificate.basis')}</p>
      <p className="certificate-issued">{t('certificate.issued', { date: day(new Date()) })}</p>
      <button type="button" className="button button-primary no-print" onClick={() => window.print()}>
        {t('certificate.print')}
      </button>
    </article>
  );
}
