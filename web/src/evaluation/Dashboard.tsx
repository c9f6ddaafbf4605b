import { Card, Col, Empty, List, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { describeError } from '../api/describeError';
import {
  casesLink,
  currentPeriods,
  type Dashboard,
  hotspotLink,
  percent,
  useDashboard,
} from './evaluationApi';

const TrendChart = lazy(() => import('./TrendChart'));
const HotspotMap = lazy(() => import('./HotspotMap'));

const HEADLINE = [
  'filed',
  'due',
  'closedOnTime',
  'overdue',
  'onTimeRate',
  'responseRate',
  'reworkRate',
  'satisfactionRate',
] as const;
const RATE = new Set<string>(['onTimeRate', 'responseRate', 'reworkRate', 'satisfactionRate']);

/**
 * The leaders' and district staff's home, and the street-level one for street roles: the server picks
 * the scope from the caller's jurisdiction. Every number links to the cases behind it.
 */
export function DashboardPanel() {
  const { t } = useTranslation();
  const p = currentPeriods();
  const q = useDashboard(p.yearFrom, p.monthTo);
  if (q.isPending) return <Spin />;
  if (q.isError) return <Typography.Text type="danger">{describeError(t, q.error)}</Typography.Text>;
  return <DashboardView d={q.data} />;
}

function DashboardView({ d }: { d: Dashboard }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const link = (measure: string) => casesLink(measure, d.scope, d.from, d.to);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="dashboard">
      <Card
        title={t('evaluation.dashboard.title', { scope: d.scope.name })}
        extra={
          <Space>
            <Link to="/rankings">{t('evaluation.rankings.title')}</Link>
            <Link to={`/bulletins/${currentPeriods().quarter}`}>{t('evaluation.bulletin.open')}</Link>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          {t('evaluation.dashboard.period', { from: d.from, to: d.to })}
        </Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {HEADLINE.map((m) => {
            const v = d.figures[m];
            return (
              <Col key={m} xs={12} md={6} xl={3}>
                <Link
                  to={link(m)}
                  aria-label={t('evaluation.casesOf', { measure: t(`evaluation.measure.${m}`) })}
                >
                  <Statistic
                    title={t(`evaluation.measure.${m}`)}
                    value={RATE.has(m) ? percent(v) : (v ?? 0)}
                  />
                </Link>
              </Col>
            );
          })}
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('evaluation.dashboard.trend')}>
            <Suspense fallback={<Spin />}>
              <TrendChart
                points={d.trend}
                onPick={(month) => {
                  const last = new Date(
                    Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0),
                  ).getUTCDate();
                  navigate(
                    casesLink('filed', d.scope, `${month}-01`, `${month}-${String(last).padStart(2, '0')}`),
                  );
                }}
              />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('evaluation.dashboard.topCategories')}>
            {d.topCategories.length === 0 ? (
              <Empty />
            ) : (
              <List
                size="small"
                dataSource={d.topCategories}
                renderItem={(c, i) => (
                  <List.Item>
                    <span>
                      {i + 1}. {c.name}
                    </span>
                    <strong>{c.filed}</strong>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card
        title={t(
          d.areaLevel === 'street' ? 'evaluation.dashboard.byStreet' : 'evaluation.dashboard.byCommunity',
        )}
      >
        <Table
          size="small"
          rowKey={(r) => r.unit.code}
          pagination={false}
          dataSource={d.byArea}
          columns={[
            { title: t('evaluation.unit'), render: (_, r) => r.unit.name },
            { title: t('evaluation.dashboard.open'), dataIndex: 'open', sorter: (a, b) => a.open - b.open },
            {
              title: t('evaluation.dashboard.overdueOpen'),
              dataIndex: 'overdueOpen',
              sorter: (a, b) => a.overdueOpen - b.overdueOpen,
            },
            {
              title: t('evaluation.measure.filed'),
              render: (_, r) => <Link to={casesLink('filed', r.unit, d.from, d.to)}>{r.filed}</Link>,
            },
            {
              title: t('evaluation.measure.overdue'),
              render: (_, r) => <Link to={casesLink('overdue', r.unit, d.from, d.to)}>{r.overdue}</Link>,
            },
            {
              title: t('evaluation.measure.onTimeRate'),
              render: (_, r) => (
                <Link to={casesLink('onTimeRate', r.unit, d.from, d.to)}>{percent(r.onTimeRate)}</Link>
              ),
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t('evaluation.hotspots.title')}>
            <Suspense fallback={<Spin />}>
              <HotspotMap cells={d.hotspots} onSelect={(cell) => navigate(hotspotLink(cell, d.from, d.to))} />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('evaluation.hotspots.grids')}>
            <List
              size="small"
              dataSource={d.grids}
              renderItem={(g) => (
                <List.Item
                  extra={
                    <Link
                      to={casesLink('filed', { level: 'grid', code: g.code, name: g.code }, d.from, d.to)}
                    >
                      {g.filed}
                    </Link>
                  }
                >
                  {g.code}
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
