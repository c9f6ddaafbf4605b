import { Alert, Card, Col, Flex, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { ALLEY_TIERS, type AlleySummary, type AlleyTier } from '../api/types';
import { useCan, useCurrentUser } from '../auth/currentUser';
import { streetsInScope } from '../ledgers/ledgerFilters';
import { useAlleysInScope, useStreets } from '../territory/territoryApi';

type TierBucket = AlleyTier | 'none';

const TIER_BAR_COLOURS: Record<TierBucket, string> = {
  exemplary: '#d4b106',
  fine: '#389e0d',
  compliant: '#1677ff',
  none: '#bfbfbf',
};

export function countByTier(alleys: AlleySummary[]): Record<TierBucket, number> {
  const counts: Record<TierBucket, number> = { exemplary: 0, fine: 0, compliant: 0, none: 0 };
  for (const alley of alleys) counts[alley.currentTier ?? 'none'] += 1;
  return counts;
}

function TierDistribution() {
  const { t } = useTranslation();
  const alleys = useAlleysInScope();
  if (alleys.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (alleys.isError) return <Alert type="error" title={describeError(t, alleys.error)} />;

  const { items, total } = alleys.data;
  if (items.length === 0) return <Typography.Text type="secondary">{t('home.noAlleys')}</Typography.Text>;
  const counts = countByTier(items);
  const buckets: TierBucket[] = [...ALLEY_TIERS, 'none'];
  return (
    <Flex vertical gap={4}>
      {buckets.map((bucket) => {
        const label = bucket === 'none' ? t('home.tierUnrated') : t(`tier.${bucket}`);
        const percent = Math.round((counts[bucket] / items.length) * 1000) / 10;
        return (
          <Flex key={bucket} align="center" gap={12}>
            <Typography.Text style={{ width: 72, flex: 'none' }}>{label}</Typography.Text>
            <Progress
              percent={percent}
              strokeColor={TIER_BAR_COLOURS[bucket]}
              format={() => counts[bucket]}
              aria-label={`${label} ${counts[bucket]}`}
            />
          </Flex>
        );
      })}
      {items.length < total && (
        <Typography.Text type="secondary">
          {t('home.tierPartial', { loaded: items.length, total })}
        </Typography.Text>
      )}
    </Flex>
  );
}

export function TerritorySummary() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const can = useCan();
  const streets = useStreets();
  // The user's own jurisdiction: a street's desk sees its street, not the whole district.
  const list = streetsInScope(streets.data ?? [], user.scopeCode, can('case.read_assigned'));
  const sum = (pick: (street: (typeof list)[number]) => number) =>
    list.reduce((total, s) => total + pick(s), 0);

  return (
    <Card title={t('home.summaryTitle')}>
      {streets.isError && <Alert type="error" title={describeError(t, streets.error)} />}
      <Row gutter={16}>
        <Col span={8}>
          <Statistic title={t('home.streets')} value={list.length} loading={streets.isPending} />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('home.communities')}
            value={sum((street) => street.communityCount)}
            loading={streets.isPending}
          />
        </Col>
        <Col span={8}>
          <Statistic
            title={t('home.alleys')}
            value={sum((street) => street.alleyCount)}
            loading={streets.isPending}
          />
        </Col>
      </Row>
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 24 }}>
        {t('home.tierTitle')}
      </Typography.Title>
      <TierDistribution />
    </Card>
  );
}
