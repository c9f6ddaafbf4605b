import { Alert, Button, Card, Flex, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { ROLES, type Role } from '../api/types';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { type Credentials, useHealth, useLogin, useSession } from './authApi';
import type { LoginRedirectState } from './RequireAuth';
import { DEMO_PASSWORD, demoUsername } from './roles';

function useSecondsUntil(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [deadline]);
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}

function LoginError({ error, retryAt }: { error: unknown; retryAt: number | null }) {
  const { t } = useTranslation();
  const secondsLeft = useSecondsUntil(retryAt);
  let title: string;
  if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') {
    title = t('auth.invalidCredentials');
  } else if (error instanceof ApiError && error.code === 'TOO_MANY_ATTEMPTS') {
    title =
      secondsLeft > 0 ? t('auth.tooManyAttempts', { seconds: secondsLeft }) : t('auth.tooManyAttemptsNow');
  } else {
    title = describeError(t, error);
  }
  return <Alert type="error" showIcon title={title} />;
}

function DemoAccounts({ onPick }: { onPick: (role: Role) => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      // antd gives every Alert role="alert"; a standing hint should not interrupt a screen reader.
      role="note"
      title={t('auth.demoTitle')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            {t('auth.demoHint', { password: DEMO_PASSWORD })}
          </Typography.Paragraph>
          <Flex wrap gap={4}>
            {ROLES.map((role) => (
              <Button key={role} size="small" onClick={() => onPick(role)} title={t(`role.${role}`)}>
                {demoUsername(role)}
              </Button>
            ))}
          </Flex>
        </>
      }
    />
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  const health = useHealth();
  const login = useLogin();
  const [retryAt, setRetryAt] = useState<number | null>(null);

  const from = (location.state as LoginRedirectState | null)?.from;
  const target = from && from !== '/login' ? from : '/';

  if (session.data) return <Navigate to={target} replace />;

  const submit = (credentials: Credentials) => {
    setRetryAt(null);
    login.mutate(credentials, {
      onSuccess: () => navigate(target, { replace: true }),
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'TOO_MANY_ATTEMPTS') {
          setRetryAt(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
        }
      },
    });
  };

  const pickDemo = (role: Role) => {
    form.setFieldsValue({ username: demoUsername(role), password: DEMO_PASSWORD });
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 16, background: '#f5f5f5' }}
    >
      <main style={{ width: '100%', maxWidth: 420 }}>
        <Card>
          <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
            <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 0 }}>
            {t('auth.title')}
          </Typography.Title>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {login.isError && <LoginError error={login.error} retryAt={retryAt} />}
            <Form<Credentials>
              form={form}
              layout="vertical"
              onFinish={submit}
              requiredMark={false}
              name="login"
            >
              <Form.Item
                label={t('auth.username')}
                name="username"
                rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
              >
                <Input autoComplete="username" autoFocus />
              </Form.Item>
              <Form.Item
                label={t('auth.password')}
                name="password"
                rules={[{ required: true, message: t('auth.passwordRequired') }]}
              >
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={login.isPending}>
                {t('auth.submit')}
              </Button>
            </Form>
            {health.data?.demo === true && <DemoAccounts onPick={pickDemo} />}
          </Space>
        </Card>
      </main>
    </Flex>
  );
}
