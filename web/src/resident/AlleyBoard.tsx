import { ApiError, api } from '../api/client';
import type { ResponseOf } from '../api/contract';
// The console's list of the 十有十无 keys is plain data, light enough for the resident entry.
import { HAVE_KEYS, NOT_KEYS } from '../territory/checklist';
import { fetchAlley, fetchAlleyCases, fetchAlleyShops } from './api';
import { CategoryName } from './CategoryName';
import { describe } from './errors';
import { formatTime, useI18n } from './i18n';
import { useLabel } from './labels';
import { Link, paths } from './router';
import type { PublicAlley } from './types';
import { Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

export { HAVE_KEYS, NOT_KEYS };

/** Digits and a leading + only: what a `tel:` link may carry. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

export function useAlley(id: string) {
  return useLoad((signal) => fetchAlley(id, signal), [id]);
}

export function AlleyLoadError({ error }: { error: unknown }) {
  const { t } = useI18n();
  const notFound = error instanceof ApiError && error.status === 404;
  return <Notice tone="error">{notFound ? t('board.notFound') : describe(t, error)}</Notice>;
}

type VolunteerTeams = ResponseOf<'/api/volunteers/teams', 'get'>;

/** The alley's volunteer teams (or, when it has none of its own, its street's), with size and hours served. */
function VolunteerTeamsCard({ alley }: { alley: PublicAlley }) {
  const { t } = useI18n();
  const teams = useLoad(
    async (signal) => {
      const own = await api.get<VolunteerTeams>('/api/volunteers/teams', { alley: alley.id }, signal);
      if (own.items.length > 0) return { items: own.items, street: false };
      const street = await api.get<VolunteerTeams>(
        '/api/volunteers/teams',
        { street: alley.streetCode },
        signal,
      );
      return { items: street.items, street: true };
    },
    [alley.id],
  );
  if (!teams.data || teams.data.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="teams-title">
      <h2 id="teams-title">{teams.data.street ? t('board.streetTeams') : t('board.volunteerTeam')}</h2>
      <ul className="plain-list" data-testid="volunteer-teams">
        {teams.data.items.map((team) => (
          <li key={team.id}>
            {t('board.team', { name: team.name, members: team.members, hours: team.hours })}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The alley's shops under 门前三包 with their stars; names and kinds only, never a person or a phone. */
function FrontageShopsCard({ id }: { id: string }) {
  const { t } = useI18n();
  const shops = useLoad((signal) => fetchAlleyShops(id, signal), [id]);
  if (!shops.data || shops.data.items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="shops-title">
      <h2 id="shops-title">{t('board.shops')}</h2>
      <p className="hint">{t('board.shopsHint')}</p>
      <ul className="plain-list" data-testid="frontage-shops">
        {shops.data.items.map((shop) => (
          <li key={shop.id} className="shop-line" data-testid="frontage-shop">
            <span>
              <strong>{shop.name}</strong>
              <span className="hint">
                {' '}
                · {t(`board.shopKind.${shop.kind}`)} · {shop.address}
              </span>
              <br />
              <span className="hint">
                {shop.agreement
                  ? t('board.stretch', { stretch: shop.agreement.stretch })
                  : t('board.noAgreement')}
              </span>
            </span>
            {shop.stars === null ? (
              <span className="hint">{t('board.notRated')}</span>
            ) : (
              <span className="stars" role="img" aria-label={t('board.starsLabel', { stars: shop.stars })}>
                {'★'.repeat(shop.stars)}
                <span className="stars-off">{'★'.repeat(5 - shop.stars)}</span>
                {shop.ratingMonth && shop.ratingMonth !== shops.data?.month && (
                  <span className="hint"> {t('board.ratingMonth', { month: shop.ratingMonth })}</span>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ChiefCard({ alley }: { alley: PublicAlley }) {
  const { t } = useI18n();
  const { chief } = alley;
  return (
    <section className="card chief" aria-labelledby="chief-title">
      <h2 id="chief-title">{t('board.chief')}</h2>
      <p className="chief-name">
        {chief.name ?? t('board.noChief')}
        {chief.title && <span className="chief-title"> · {chief.title}</span>}
      </p>
      {chief.duties && (
        <p>
          <strong>{t('common.labelled', { label: t('board.duties') })}</strong>
          {chief.duties}
        </p>
      )}
      {chief.phone ? (
        <a
          className="button button-primary button-block call"
          href={telHref(chief.phone)}
          aria-label={t('board.callLabel', { name: chief.name ?? '', phone: chief.phone })}
        >
          {t('board.call', { phone: chief.phone })}
        </a>
      ) : (
        <p className="hint">{t('board.noPhone')}</p>
      )}
    </section>
  );
}

export function Checklist({ alley }: { alley: PublicAlley }) {
  const { t } = useI18n();
  const groups = [
    {
      key: 'haves',
      title: t('board.haves'),
      items: HAVE_KEYS.map((k) => ({
        key: k,
        label: t(`haves.${k}`),
        ok: alley.checklist.haves[k] === true,
      })),
    },
    {
      key: 'nots',
      title: t('board.nots'),
      items: NOT_KEYS.map((k) => ({ key: k, label: t(`nots.${k}`), ok: alley.checklist.nots[k] === true })),
    },
  ];
  return (
    <section className="card" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('board.checklist')}</h2>
      <div className="checklist">
        {groups.map((group) => {
          const met = group.items.filter((item) => item.ok).length;
          return (
            <div key={group.key} className="checklist-group">
              <h3>
                {group.title}{' '}
                <span className="count" data-testid={`count-${group.key}`}>
                  {t('board.count', { count: met, total: group.items.length })}
                </span>
              </h3>
              <ul>
                {group.items.map((item) => (
                  <li key={item.key} className={item.ok ? 'met' : 'unmet'}>
                    <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> {item.label}
                    <span className="visually-hidden">
                      {t('common.aside', { text: item.ok ? t('board.met') : t('board.unmet') })}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </section>
  );
}

export function tierText(t: ReturnType<typeof useI18n>['t'], alley: PublicAlley): string {
  return t('board.tierLine', {
    current: t(`tier.${alley.currentTier ?? 'none'}`),
    target: t(`tier.${alley.targetTier ?? 'none'}`),
  });
}

/** What has been reported in this alley, as the public may see it; the list is left out if it cannot load. */
function AlleyCasesCard({ id }: { id: string }) {
  const { t, language } = useI18n();
  const label = useLabel();
  const cases = useLoad((signal) => fetchAlleyCases(id, signal), [id]);
  if (!cases.data) return null;
  const { openCount, closedCount, recent } = cases.data;
  return (
    <section className="card" aria-labelledby="cases-title">
      <h2 id="cases-title">{t('board.cases')}</h2>
      <p data-testid="case-counts">
        {t('board.openCount', { count: openCount })} · {t('board.closedCount', { count: closedCount })}
      </p>
      {recent.length === 0 ? (
        <p className="hint">{t('board.noCases')}</p>
      ) : (
        <ul className="plain-list">
          {recent.map((item) => (
            <li key={item.trackingCode}>
              <Link to={paths.track(item.trackingCode)} className="case-line">
                <span>
                  {item.category ? <CategoryName categoryKey={item.category} /> : t('board.uncategorised')}
                </span>
                <span className="hint">
                  {label('status', item.status, item.statusLabel)} · {formatTime(item.reportedAt, language)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Text({ title, text }: { title: string; text: string | null }) {
  if (!text) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>{text}</dd>
    </>
  );
}

/** The alley's public notice board (公示牌): who is in charge, how to reach them, how the alley stands. */
export function AlleyBoard({ id }: { id: string }) {
  const { t } = useI18n();
  const alley = useAlley(id);
  if (alley.loading) return <Spinner label={t('common.loading')} />;
  if (alley.error || !alley.data) return <AlleyLoadError error={alley.error} />;
  const data = alley.data;
  return (
    <>
      <p className="eyebrow">{t('board.title')}</p>
      <h1>{data.name}</h1>
      <p className="hint">
        {data.streetName}
        {data.communityName ? ` · ${data.communityName}` : ''} · {t(`alleyType.${data.alleyType}`)}
      </p>
      <p className="tier" data-testid="tier">
        {t('common.labelled', { label: t('board.tier') })}
        {tierText(t, data)}
      </p>
      <ChiefCard alley={data} />
      <Checklist alley={data} />
      <AlleyCasesCard id={data.id} />
      <VolunteerTeamsCard alley={data} />
      <FrontageShopsCard id={data.id} />
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title" className="visually-hidden">
          {t('board.title')}
        </h2>
        <dl className="facts">
          <Text title={t('board.council')} text={data.council} />
          <Text title={t('board.contractor')} text={data.contractorName} />
          <Text title={t('board.volunteerTeam')} text={data.volunteerTeam} />
          <Text title={t('board.pact')} text={data.residentsPact} />
          <Text title={t('board.plan')} text={data.plan} />
          <Text title={t('board.culture')} text={data.cultureNote} />
        </dl>
        {data.approximate && <p className="hint">{t('board.approximate')}</p>}
      </section>
      <div className="button-row">
        <Link className="button button-primary" to={paths.reportInAlley(data.id)}>
          {t('board.report')}
        </Link>
        <Link className="button button-secondary" to={paths.poster(data.id)}>
          {t('board.poster')}
        </Link>
      </div>
    </>
  );
}
