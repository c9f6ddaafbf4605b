import { Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/currentUser';
import { CaseQueues } from '../cases/CaseQueues';
import { TerritorySummary } from './TerritorySummary';

function WelcomeCard() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  return (
    <Card>
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
        {t('home.welcome', { name: user.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('home.yourRole', { role: t(`role.${user.role}`) })}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 0 }}>
        {t(`home.roleIntro.${user.role}`)}
      </Typography.Paragraph>
    </Card>
  );
}

export function HomePage() {
  return (
    <Row gutter={[16, 16]}>
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
