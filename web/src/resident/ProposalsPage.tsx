import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describe } from './errors';
import { useI18n } from './i18n';
import { Link, paths } from './router';
import { useSession } from './session';
import { Field, Notice, Spinner } from './ui';
import { useLoad } from './useLoad';

type Proposal = ResponseOf<'/api/proposals', 'get'>['items'][number];
type Choice = NonNullable<Proposal['myVote']>;

const CHOICES: readonly Choice[] = ['yes', 'no', 'abstain'];

/**
 * Residents' deliberation (议事协商): the proposals of the resident's own community (known from their
 * account's scope), a form to make one, and the vote. The server decides who may vote, the window and
 * the secret tally; this page shows its answers (no count before the close).
 */
export function ProposalsPage() {
  const { t, language } = useI18n();
  const { user, can, ready } = useSession();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const community = user?.scopeCode && user.scopeCode.length >= 12 ? user.scopeCode.slice(0, 12) : null;
  const member = !!user && can('proposal.take_part');
  const list = useLoad(
    member && community
      ? (signal: AbortSignal) =>
          api.get<ResponseOf<'/api/proposals', 'get'>>('/api/proposals', { community }, signal)
      : null,
    [member, community],
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
      setMessage({
        tone: 'error',
        text: code === 'ALREADY_VOTED' ? t('proposals.alreadyVoted') : describe(t, error),
      });
    }
    list.reload();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api.post('/api/proposals', { communityCode: community, title: title.trim(), body: body.trim() });
      setTitle('');
      setBody('');
    }, t('proposals.submitted'));
  };

  if (!ready) return <Spinner label={t('common.loading')} />;
  if (!member) {
    return (
      <>
        <h1>{t('proposals.title')}</h1>
        <p>{t('proposals.signIn')}</p>
        <Link className="button button-primary" to={paths.login(paths.proposals)}>
          {t('nav.login')}
        </Link>
      </>
    );
  }
  if (!community) {
    return (
      <>
        <h1>{t('proposals.title')}</h1>
        <Notice tone="info">{t('proposals.noCommunity')}</Notice>
      </>
    );
  }
  return (
    <>
      <h1>{t('proposals.title')}</h1>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      {list.error ? <Notice tone="error">{describe(t, list.error)}</Notice> : null}
      {list.loading && !list.data ? <Spinner label={t('common.loading')} /> : null}
      {list.data?.items.length === 0 ? <p>{t('proposals.none')}</p> : null}
      <ul className="plain-list">
        {(list.data?.items ?? []).map((p) => (
          <li key={p.id} data-testid="proposal">
            <div className="points-item">
              <strong>{p.title}</strong> · {t(`proposals.state.${p.state}`)}
              <div className="option-meta">{p.body}</div>
              {p.vote && p.state === 'voting' ? (
                <div className="option-meta">
                  {t('proposals.closesAt', { time: when(p.vote.closesAt) })} · {t('proposals.secret')}
                </div>
              ) : null}
              {p.vote?.tally ? (
                <div className="option-meta">
                  {t('proposals.tally', { ...p.vote.tally, quorum: p.vote.quorum })} ·{' '}
                  {p.vote.outcome ? t(`proposals.outcome.${p.vote.outcome}`) : null}
                </div>
              ) : null}
              {p.myVote ? (
                <div className="option-meta">
                  {t('proposals.myVote', { choice: t(`proposals.choice.${p.myVote}`) })}
                </div>
              ) : null}
              {p.decision ? (
                <div className="option-meta">
                  {t('proposals.decision', { kind: t(`proposals.decision.${p.decision.kind}`) })}
                </div>
              ) : null}
              {p.minutes ? (
                <div className="option-meta">
                  {t('proposals.minutes')}：{p.minutes.text}
                </div>
              ) : null}
            </div>
            <Discussion proposal={p} when={when} onPosted={list.reload} />
            {p.state === 'voting' && !p.myVote
              ? CHOICES.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className="button"
                    onClick={() =>
                      void run(
                        () => api.post(`/api/proposals/${encodeURIComponent(p.id)}/votes`, { choice: c }),
                        t('proposals.voted'),
                      )
                    }
                  >
                    {t(`proposals.choice.${c}`)}
                  </button>
                ))
              : null}
          </li>
        ))}
      </ul>

      <h2>{t('proposals.new')}</h2>
      <form className="card" onSubmit={submit} noValidate>
        <Field label={t('proposals.field.title')}>
          {(props) => (
            <input {...props} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          )}
        </Field>
        <Field label={t('proposals.field.body')}>
          {(props) => (
            <textarea
              {...props}
              value={body}
              maxLength={5000}
              rows={4}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={!title.trim() || !body.trim()}>
          {t('proposals.submit')}
        </button>
      </form>
    </>
  );
}

/**
 * A proposal's discussion, opened on demand: the comments (who spoke as what, never their name) and,
 * while the proposal is open, a box to add one. The server decides who may comment and until when.
 */
function Discussion({
  proposal,
  when,
  onPosted,
}: {
  proposal: Proposal;
  when: (iso: string) => string;
  onPosted: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const thread = useLoad(
    open
      ? (signal: AbortSignal) =>
          api.get<ResponseOf<'/api/proposals/{id}/comments', 'get'>>(
            `/api/proposals/${encodeURIComponent(proposal.id)}/comments`,
            {},
            signal,
          )
      : null,
    [open, proposal.id],
  );
  const canComment = proposal.state === 'discussion' || proposal.state === 'voting';
  const post = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post(`/api/proposals/${encodeURIComponent(proposal.id)}/comments`, { body: text.trim() });
      setText('');
      thread.reload();
      onPosted();
    } catch (e) {
      setError(describe(t, e));
    }
  };
  return (
    <div className="discussion">
      <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('proposals.discussion', { count: proposal.comments })}
      </button>
      {open ? (
        <div data-testid="discussion">
          {thread.error ? <Notice tone="error">{describe(t, thread.error)}</Notice> : null}
          {thread.loading && !thread.data ? <Spinner label={t('common.loading')} /> : null}
          <ul className="plain-list">
            {(thread.data?.items ?? []).map((c) => (
              <li key={c.id} className="option-meta">
                <strong>{t(`proposals.author.${c.authorKind}`)}</strong> · {when(c.at)}：{c.body}
              </li>
            ))}
          </ul>
          {canComment ? (
            <form onSubmit={post} noValidate>
              {error ? <Notice tone="error">{error}</Notice> : null}
              <Field label={t('proposals.field.comment')}>
                {(props) => (
                  <textarea
                    {...props}
                    value={text}
                    maxLength={2000}
                    rows={2}
                    onChange={(e) => setText(e.target.value)}
                  />
                )}
              </Field>
              <button type="submit" className="button" disabled={!text.trim()}>
                {t('proposals.comment')}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
