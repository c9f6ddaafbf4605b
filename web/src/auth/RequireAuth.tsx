import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { describeError } from '../api/describeError';
import type { Capability } from '../api/types';
import { useSession } from './authApi';
import { CapabilitiesContext, CurrentUserContext, FilingChannelContext, useCan } from './currentUser';

export interface LoginRedirectState {
  from?: string;
}

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const session = useSession();

  if (session.isPending) return <FullPageSpin />;
  if (session.isError) {
    return (
      <Result
        status="error"
        title={describeError(t, session.error)}
        extra={<Button onClick={() => session.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  if (!session.data) {
    const state: LoginRedirectState = { from: `${location.pathname}${location.search}` };
    return <Navigate to="/login" replace state={state} />;
  }
  return (
    <CurrentUserContext value={session.data.user}>
      <CapabilitiesContext value={session.data.capabilities}>
        <FilingChannelContext value={session.data.filingChannel}>{children}</FilingChannelContext>
      </CapabilitiesContext>
    </CurrentUserContext>
  );
}

/** A page the server would refuse anyway: say so at once instead of showing its errors. */
export function RequireCapability({ capability, children }: { capability: Capability; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can(capability)) return <Result status="403" title={t('users.forbidden')} />;
  return children;
}
