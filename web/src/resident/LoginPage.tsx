import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { login, logout } from './api';
import { describe } from './errors';
import { useI18n } from './i18n';
import { navigate, paths } from './router';
import { useSession } from './session';
import type { Capability } from './types';
import { Field, Notice } from './ui';

export function LoginPage({ next }: { next: string | null }) {
  const { t } = useI18n();
  const { user, setSession } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setStaff(false);
    if (!username.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    try {
      const signedIn = await login(username.trim(), password);
      // The server says what the account may do here: follow its own reports (residents and
      // volunteers), or walk a daily patrol, for which the patrol page alone is opened; staff work in
      // the console.
      const may = (capability: Capability) => signedIn.capabilities.includes(capability);
      const patrolling = next === paths.patrol && may('patrol.walk');
      if (!may('report.own') && !patrolling) {
        // A staff session here would act on cases from a page not made for it; leave it unopened.
        await logout().catch(() => undefined);
        setStaff(true);
        return;
      }
      setSession(signedIn);
      navigate(next ?? paths.report, { replace: true });
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'INVALID_CREDENTIALS') setError(t('login.invalid'));
      else if (failure instanceof ApiError && failure.code === 'TOO_MANY_ATTEMPTS') {
        setError(t('login.tooMany', { seconds: failure.retryAfterSeconds ?? 60 }));
      } else setError(describe(t, failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('login.title')}</h1>
      <p className="intro">{t('login.intro')}</p>
      {user && <Notice tone="info">{t('login.signedIn', { name: user.displayName })}</Notice>}
      {staff && (
        <Notice tone="warning">
          {t('login.notResident')} <a href="/">{t('login.console')}</a>
        </Notice>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      <form className="card" onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('login.username')}>
          {(props) => (
            <input
              {...props}
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
            />
          )}
        </Field>
        <Field label={t('login.password')}>
          {(props) => (
            <input
              {...props}
              type="password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="current-password"
            />
          )}
        </Field>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="hint">{t('login.demo')}</p>
      </form>
    </>
  );
}
