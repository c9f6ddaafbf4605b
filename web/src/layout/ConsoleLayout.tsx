import { Button, Flex, Grid, Layout, Menu, type MenuProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { User } from '../api/types';
import { useLogout } from '../auth/authApi';
import { useCurrentUser } from '../auth/currentUser';
import {
  ADMIN_ROLES,
  canAdministerUsers,
  HOTLINE_DESK_ROLES,
  isOrganisationBound,
  MEASURE_READERS,
  PARTICIPATION_MANAGERS,
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
    | 'nav.participation'
    | 'nav.territory'
    | 'nav.users'
    | 'nav.taxonomy'
    | 'nav.hotline'
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
  // 12345 orders the gazetteer could not place wait for the desks that import them.
  {
    path: '/hotline/unlocated',
    labelKey: 'nav.hotline',
    visible: (user) => HOTLINE_DESK_ROLES.includes(user.role),
  },
  { path: '/supervision', labelKey: 'nav.supervision', visible: (user) => readsByTerritory(user) },
  {
    path: '/participation',
    labelKey: 'nav.participation',
    visible: (user) => PARTICIPATION_MANAGERS.includes(user.role),
  },
  { path: '/rankings', labelKey: 'nav.rankings', visible: (user) => MEASURE_READERS.includes(user.role) },
  {
    path: '/evaluations',
    labelKey: 'nav.evaluations',
    visible: (user) => MEASURE_READERS.includes(user.role),
  },
  { path: '/territory', labelKey: 'nav.territory', visible: () => true },
  { path: '/admin/users', labelKey: 'nav.users', visible: (user) => canAdministerUsers(user.role) },
  // The district's taxonomy (synonyms and keywords): the server lets only its administrators edit it.
  { path: '/admin/taxonomy', labelKey: 'nav.taxonomy', visible: (user) => ADMIN_ROLES.includes(user.role) },
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

function UserBadge({ user, narrow }: { user: User; narrow: boolean }) {
  const { t } = useTranslation();
  const scope = user.scopeName ?? user.scopeCode ?? t('header.noScope');
  return (
    <Flex align="center" gap={8} wrap style={{ minWidth: 0 }}>
      <Typography.Text strong ellipsis style={{ maxWidth: narrow ? 120 : undefined }}>
        {user.displayName}
      </Typography.Text>
      <Tag color="blue">{t(`role.${user.role}`)}</Tag>
      {/* On a phone the scope and unit would push the page down; they are on the home page anyway. */}
      {!narrow && <Typography.Text type="secondary">{t('header.scope', { scope })}</Typography.Text>}
      {!narrow && user.organisationName && (
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
  // Below md (a phone), the sidebar folds away entirely instead of leaving an 80 px strip, and the
  // header keeps to one line of what matters.
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [collapsed, setCollapsed] = useState(() => typeof window !== 'undefined' && window.innerWidth < 768);

  const items: MenuProps['items'] = NAV_ENTRIES.filter((entry) => entry.visible(user)).map((entry) => ({
    key: entry.path,
    label: <Link to={entry.path}>{t(entry.labelKey)}</Link>,
  }));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        collapsedWidth={narrow ? 0 : 80}
        // Folded on a phone, its trigger sits in the header row, left of the name, over nothing.
        zeroWidthTriggerStyle={{ top: 12 }}
        theme="light"
        style={
          narrow && !collapsed
            ? { position: 'fixed', zIndex: 20, height: '100vh', left: 0, top: 0 }
            : undefined
        }
        data-testid="console-sider"
      >
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
            padding: narrow ? '8px 8px 8px 52px' : '0 16px',
            height: 'auto',
            minHeight: 64,
            lineHeight: 'normal',
            display: 'flex',
            flexWrap: 'wrap',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: narrow ? 8 : 16,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <UserBadge user={user} narrow={narrow} />
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
        <Content style={{ padding: narrow ? 8 : 16, minWidth: 0 }}>
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
