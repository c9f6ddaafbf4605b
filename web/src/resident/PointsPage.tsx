import { useState } from 'react';
import { ApiError, api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describe } from './errors';
import { useI18n } from './i18n';
import { Link, paths } from './router';
import { useSession } from './session';
import { Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

type Items<P extends { items: unknown[] }> = P['items'][number];
type Team = Items<ResponseOf<'/api/volunteers/teams', 'get'>>;

/**
 * A resident's civic points (文明微积分) and volunteering: the balance and postings, the rewards they
 * can redeem, their reservations, and the volunteer activities they can sign up for. The server decides
 * every rule (balance, stock, membership); this page shows its answers.
 */
export function PointsPage() {
  const { t, language } = useI18n();
  const { user, can, ready } = useSession();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const earner = !!user && can('points.own');
  const volunteering = !!user && can('volunteer.apply');
  const mine = useLoad(
    earner
      ? async (signal: AbortSignal) => {
          const [balance, postings, redemptions] = await Promise.all([
            api.get<ResponseOf<'/api/points/balance', 'get'>>('/api/points/balance', undefined, signal),
            api.get<ResponseOf<'/api/points/postings', 'get'>>('/api/points/postings', { limit: 20 }, signal),
            api.get<ResponseOf<'/api/points/redemptions', 'get'>>(
              '/api/points/redemptions',
              { mine: 'true' },
              signal,
            ),
          ]);
          return { balance: balance.balance, postings: postings.items, redemptions: redemptions.items };
        }
      : null,
    [earner],
  );
  const rewards = useLoad(
    (signal) => api.get<ResponseOf<'/api/points/rewards', 'get'>>('/api/points/rewards', undefined, signal),
    [],
  );
  const community = user?.scopeCode && user.scopeCode.length >= 12 ? user.scopeCode.slice(0, 12) : null;
  // My teams (wherever they are) and, when my community is known, its other teams I may apply to.
  const teams = useLoad(
    volunteering
      ? async (signal: AbortSignal) => {
          const [me, local] = await Promise.all([
            api.get<ResponseOf<'/api/volunteers/me', 'get'>>('/api/volunteers/me', undefined, signal),
            community
              ? api.get<ResponseOf<'/api/volunteers/teams', 'get'>>(
                  '/api/volunteers/teams',
                  { community },
                  signal,
                )
              : Promise.resolve({ items: [] as Team[] }),
          ]);
          const joined = new Set(me.memberships.map((m) => m.teamId));
          return { memberships: me.memberships, open: local.items.filter((team) => !joined.has(team.id)) };
        }
      : null,
    [volunteering, community],
  );
  const activities = useLoad(
    (signal) =>
      api.get<ResponseOf<'/api/volunteers/activities', 'get'>>(
        '/api/volunteers/activities',
        undefined,
        signal,
      ),
    [],
  );
  const when = (iso: string) =>
    new Date(iso).toLocaleString(language, {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'short',
    });

  const run = async (action: () => Promise<unknown>, success: string) => {
    setMessage(null);
    try {
      await action();
      setMessage({ tone: 'success', text: success });
    } catch (error) {
      const code = error instanceof ApiError ? error.code : '';
      const known: Record<string, string> = {
        INSUFFICIENT_POINTS: t('points.insufficient'),
        OUT_OF_STOCK: t('points.outOfStock'),
        ACTIVITY_FULL: t('volunteer.full'),
        FORBIDDEN: t('volunteer.notMember'),
      };
      setMessage({ tone: 'error', text: known[code] ?? describe(t, error) });
    }
    mine.reload();
    teams.reload();
    rewards.reload();
    activities.reload();
  };

  if (!ready) return <Spinner label={t('common.loading')} />;
  if (!earner) {
    return (
      <>
        <h1>{t('points.title')}</h1>
        <p>{t('points.signIn')}</p>
        <Link className="button button-primary" to={paths.login(paths.points)}>
          {t('nav.login')}
        </Link>
      </>
    );
  }
  return (
    <>
      <h1>{t('points.title')}</h1>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {mine.error ? <Notice tone="error">{describe(t, mine.error)}</Notice> : null}
      <p className="points-balance" data-testid="points-balance">
        {t('points.balance', { points: mine.data?.balance ?? '…' })}
      </p>

      <h2>{t('points.rewards')}</h2>
      {rewards.loading && !rewards.data ? <Spinner label={t('common.loading')} /> : null}
      <ul className="plain-list">
        {(rewards.data?.items ?? []).map((r) => (
          <li key={r.id}>
            <div className="points-item">
              <strong>{r.name}</strong> {t('points.cost', { points: r.cost, stock: r.stock })}
              {r.description ? <div className="option-meta">{r.description}</div> : null}
            </div>
            <button
              type="button"
              className="button"
              disabled={r.stock === 0 || (mine.data?.balance ?? 0) < r.cost}
              onClick={() =>
                void run(
                  () => api.post('/api/points/redemptions', { rewardId: r.id }),
                  t('points.reserved', { name: r.name }),
                )
              }
            >
              {t('points.redeem')}
            </button>
          </li>
        ))}
      </ul>

      <h2>{t('points.redemptions')}</h2>
      {mine.data?.redemptions.length === 0 ? <p>{t('points.none')}</p> : null}
      <ul className="plain-list">
        {(mine.data?.redemptions ?? []).map((r) => (
          <li key={r.id}>
            <div className="points-item">
              {r.rewardName} · {t('points.cost.short', { points: r.cost })} · {t(`points.state.${r.state}`)}
            </div>
            {r.state === 'reserved' ? (
              <button
                type="button"
                className="button-link"
                onClick={() =>
                  void run(
                    () => api.post(`/api/points/redemptions/${encodeURIComponent(r.id)}/cancel`),
                    t('points.cancelled'),
                  )
                }
              >
                {t('points.cancel')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>

      <h2>{t('points.postings')}</h2>
      {mine.data?.postings.length === 0 ? <p>{t('points.none')}</p> : null}
      <ul className="plain-list">
        {(mine.data?.postings ?? []).map((p) => (
          <li key={p.transactionId}>
            {when(p.at)} · {p.reason || t(`points.kind.${p.kind}`)} ·{' '}
            {p.amount > 0 ? `+${p.amount}` : p.amount}
          </li>
        ))}
      </ul>

      <h2>{t('volunteer.teams')}</h2>
      {teams.error ? <Notice tone="error">{describe(t, teams.error)}</Notice> : null}
      <ul className="plain-list">
        {(teams.data?.memberships ?? []).map((m) => (
          <li key={m.teamId} data-testid="volunteer-team">
            <div className="points-item">
              <strong>{m.teamName}</strong>
              <div className="option-meta">{t(`volunteer.membership.${m.state}`, { hours: m.hours })}</div>
            </div>
          </li>
        ))}
        {(teams.data?.open ?? []).map((team) => (
          <li key={team.id} data-testid="volunteer-team">
            <div className="points-item">
              <strong>{team.name}</strong>
              <div className="option-meta">
                {t('volunteer.teamSize', { members: team.members, hours: team.hours })}
              </div>
            </div>
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(
                  () => api.post(`/api/volunteers/teams/${encodeURIComponent(team.id)}/applications`, {}),
                  t('volunteer.applied', { name: team.name }),
                )
              }
            >
              {t('volunteer.apply')}
            </button>
          </li>
        ))}
      </ul>
      {community ? null : <p className="option-meta">{t('volunteer.noCommunity')}</p>}
      {teams.data?.memberships.some((m) => m.state === 'approved') ? (
        <Link className="button" to={paths.certificate}>
          {t('volunteer.certificate')}
        </Link>
      ) : null}

      <h2>{t('volunteer.activities')}</h2>
      {activities.data?.items.length === 0 ? <p>{t('points.none')}</p> : null}
      <ul className="plain-list">
        {(activities.data?.items ?? []).map((a) => (
          <li key={a.id}>
            <div className="points-item">
              <strong>{a.title}</strong> · {a.teamName}
              <div className="option-meta">
                {when(a.startsAt)} – {when(a.endsAt)} · {a.place} ·{' '}
                {t('volunteer.places', { signedUp: a.signedUp, capacity: a.capacity ?? '∞' })}
              </div>
            </div>
            <button
              type="button"
              className="button"
              onClick={() =>
                void run(
                  () => api.post(`/api/volunteers/activities/${encodeURIComponent(a.id)}/signups`),
                  t('volunteer.signedUp', { title: a.title }),
                )
              }
            >
              {t('volunteer.signUp')}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
