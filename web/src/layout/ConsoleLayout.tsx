import { Button, Flex, Grid, Layout, Menu, type MenuProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import type { Capability, User } from '../api/types';
import { useLogout } from '../auth/authApi';
import { useCan, useCurrentUser } from '../auth/currentUser';
import { NotificationBell } from '../notifications/NotificationBell';
import { PARTICIPATION_CAPABILITIES } from '../participation/participationTabs';
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
  /**
   * The capability the server must grant (`capabilities` of the session), or several of which any one
   * will do (an area of tabs); every signed-in user when absent.
   */
  capability?: Capability | readonly Capability[];
}

/**
 * The console's areas. Who sees which is the server's answer, not a list kept here: residents and
 * volunteers, who follow their reports on the phone page, are simply granted none of these.
 */
export const NAV_ENTRIES: NavEntry[] = [
  { path: '/', labelKey: 'nav.home' },
  { path: '/cases', labelKey: 'nav.cases', capability: 'case.read' },
  { path: '/whistle', labelKey: 'nav.whistle', capability: 'case.read' },
  { path: '/ledgers', labelKey: 'nav.ledgers', capability: 'ledger.read' },
  { path: '/campaigns', labelKey: 'nav.campaigns', capability: 'campaign.read' },
  { path: '/hot-issues', labelKey: 'nav.hotIssues', capability: 'hot_issue.read' },
  { path: '/themes', labelKey: 'nav.themes', capability: 'theme.read' },
  { path: '/proactive', labelKey: 'nav.proactive', capability: 'forecast.read' },
  // 12345 orders the gazetteer could not place wait for the desks that import them.
  { path: '/hotline/unlocated', labelKey: 'nav.hotline', capability: 'hotline.import' },
  { path: '/supervision', labelKey: 'nav.supervision', capability: 'inspection.read' },
  { path: '/participation', labelKey: 'nav.participation', capability: PARTICIPATION_CAPABILITIES },
  { path: '/rankings', labelKey: 'nav.rankings', capability: 'measure.read' },
  { path: '/evaluations', labelKey: 'nav.evaluations', capability: 'measure.read' },
  { path: '/territory', labelKey: 'nav.territory' },
  { path: '/admin/users', labelKey: 'nav.users', capability: 'user.read' },
  { path: '/admin/taxonomy', labelKey: 'nav.taxonomy', capability: 'taxonomy.write' },
  { path: '/admin/open311', labelKey: 'open311.nav', capability: 'open311_client.read' },
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

  const can = useCan();
  const items: MenuProps['items'] = NAV_ENTRIES.filter((entry) => {
    const needed = entry.capability;
    if (needed === undefined) return true;
    return typeof needed === 'string' ? can(needed) : needed.some(can);
  }).map((entry) => ({
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
