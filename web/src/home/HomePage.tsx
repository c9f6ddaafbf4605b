import { Button, Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan, useCurrentUser } from '../auth/currentUser';
import { CaseQueues } from '../cases/CaseQueues';
import { DashboardPanel } from '../evaluation/Dashboard';
import { TerritorySummary } from './TerritorySummary';

function WelcomeCard() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const can = useCan();
  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('home.welcome', { name: user.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('home.yourRole', { role: t(`role.${user.role}`) })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: can('case.create') ? undefined : 0 }}>
        {t(`home.roleIntro.${user.role}`)}
      </Typography.Paragraph>
      {can('case.create') && (
        <Link to="/cases/new">
          <Button type="primary">{t('cases.new.open')}</Button>
        </Link>
      )}
    </Card>
  );
}

export function HomePage() {
  const can = useCan();
  // Whoever may read the measures of their jurisdiction lands on its dashboard (the district's, or a
  // street's for its desk); their queues follow below it.
  return (
    <Row gutter={[16, 16]}>
      {can('measure.read') && (
        <Col span={24}>
          <DashboardPanel />
        </Col>
      )}
      <Col span={24}>
        <CaseQueues />
      </Col>
      <Col xs={24} xl={10}>
        <WelcomeCard />
      </Col>
      <Col xs={24} xl={14}>
        <TerritorySummary />
      </Col>
    </Row>
  );
}
