import { Button, Flex, Layout, Menu, type MenuProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { User } from '../api/types';
import { useLogout } from '../auth/authApi';
import { useCurrentUser } from '../auth/currentUser';
import {
  ADMIN_ROLES,
  canAdministerUsers,
  isOrganisationBound,
  MEASURE_READERS,
  THEME_READERS,
} from '../auth/roles';
import { NotificationBell } from '../notifications/NotificationBell';
import { LanguageSwitch } from './LanguageSwitch';

const { Header, Sider, Content } = Layout;

interface NavEntry {
  path: string;
  labelKey:
    | 'nav.home'
    | 'nav.cases'
    | 'nav.whistle'
    | 'nav.ledgers'
    | 'nav.campaigns'
    | 'nav.hotIssues'
    | 'nav.themes'
    | 'nav.proactive'
    | 'nav.rankings'
    | 'nav.evaluations'
    | 'nav.supervision'
    | 'nav.territory'
    | 'nav.users'
    | 'open311.nav';
  visible: (user: User) => boolean;
}

// Residents and volunteers report and follow on the phone page; the working pages are for staff.
function isStaff(user: User): boolean {
  return !['resident', 'volunteer'].includes(user.role);
}

// Hot issues and forecasts are read from a territory's cases: not for units bound to their own cases.
function readsByTerritory(user: User): boolean {
  return isStaff(user) && !isOrganisationBound(user.role);
}

const NAV_ENTRIES: NavEntry[] = [
  { path: '/', labelKey: 'nav.home', visible: () => true },
  // Residents and volunteers follow their own reports on the phone page, not here.
  {
    path: '/cases',
    labelKey: 'nav.cases',
    visible: (user) => !['resident', 'volunteer'].includes(user.role),
  },
  { path: '/whistle', labelKey: 'nav.whistle', visible: (user) => isStaff(user) },
  { path: '/ledgers', labelKey: 'nav.ledgers', visible: (user) => isStaff(user) },
  { path: '/campaigns', labelKey: 'nav.campaigns', visible: (user) => isStaff(user) },
  { path: '/hot-issues', labelKey: 'nav.hotIssues', visible: (user) => readsByTerritory(user) },
  { path: '/themes', labelKey: 'nav.themes', visible: (user) => THEME_READERS.includes(user.role) },
  { path: '/proactive', labelKey: 'nav.proactive', visible: (user) => readsByTerritory(user) },
  { path: '/supervision', labelKey: 'nav.supervision', visible: (user) => readsByTerritory(user) },
  { path: '/rankings', labelKey: 'nav.rankings', visible: (user) => MEASURE_READERS.includes(user.role) },
  {
    path: '/evaluations',
    labelKey: 'nav.evaluations',
    visible: (user) => MEASURE_READERS.includes(user.role),
  },
  { path: '/territory', labelKey: 'nav.territory', visible: () => true },
  { path: '/admin/users', labelKey: 'nav.users', visible: (user) => canAdministerUsers(user.role) },
  {
    path: '/admin/open311',
    labelKey: 'open311.nav',
    visible: (user) => ADMIN_ROLES.includes(user.role),
  },
];

/** The entry whose path is the longest prefix of the current location is the one highlighted. */
function selectedEntry(pathname: string): string {
  const matches = NAV_ENTRIES.filter(
    (entry) => pathname === entry.path || (entry.path !== '/' && pathname.startsWith(`${entry.path}/`)),
  );
  return matches.sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '/';
}

function UserBadge({ user }: { user: User }) {
  const { t } = useTranslation();
  const scope = user.scopeName ?? user.scopeCode ?? t('header.noScope');
  return (
    <Flex align="center" gap={8} wrap>
      <Typography.Text strong>{user.displayName}</Typography.Text>
      <Tag color="blue">{t(`role.${user.role}`)}</Tag>
      <Typography.Text type="secondary">{t('header.scope', { scope })}</Typography.Text>
      {user.organisationName && (
        <Typography.Text type="secondary">
          {t('header.organisation', { organisation: user.organisationName })}
        </Typography.Text>
      )}
    </Flex>
  );
}

export function ConsoleLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);

  const items: MenuProps['items'] = NAV_ENTRIES.filter((entry) => entry.visible(user)).map((entry) => ({
    key: entry.path,
    label: <Link to={entry.path}>{t(entry.labelKey)}</Link>,
  }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" theme="light">
        <Typography.Title
          level={1}
          style={{ fontSize: 18, margin: 16, whiteSpace: 'nowrap', overflow: 'hidden' }}
        >
          {collapsed ? t('app.shortTitle') : `${t('app.shortTitle')} · ${t('app.consoleName')}`}
        </Typography.Title>
        <nav aria-label={t('nav.label')}>
          <Menu mode="inline" selectedKeys={[selectedEntry(location.pathname)]} items={items} />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 16,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <UserBadge user={user} />
          <Flex align="center" gap={8}>
            <NotificationBell />
            <LanguageSwitch />
            <Button
              loading={logout.isPending}
              onClick={() =>
                logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
              }
            >
              {t('header.logout')}
            </Button>
          </Flex>
        </Header>
        <Content style={{ padding: 16 }}>
          <main>
            <Outlet />
          </main>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t('app.beijingTime')}
          </Typography.Paragraph>
        </Content>
      </Layout>
    </Layout>
  );
}
