import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Progress,
  Segmented,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { useCan } from '../auth/currentUser';
import { describeActionError } from '../cases/ActionForm';
import { useProposeThemes, useThemeDecision, useThemes } from './intelligenceApi';
import type { Theme } from './intelligenceTypes';
import { monthOf } from './periods';

const STATE_COLOURS = { proposed: 'blue', adopted: 'green', dismissed: 'default' } as const;

function ThemeCard({ theme, canDecide }: { theme: Theme; canDecide: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const decide = useThemeDecision();
  const act = (decision: 'adopt' | 'dismiss') =>
    decide.mutate(
      { id: theme.id, decision },
      {
        onSuccess: () =>
          message.success(t(`intelligence.themes.${decision === 'adopt' ? 'adopted' : 'dismissed'}`)),
        onError: (e) => message.error(describeActionError(t, e)),
      },
    );
  const c = theme.campaign;
  return (
    <Card
      size="small"
      title={theme.title}
      extra={<Tag color={STATE_COLOURS[theme.state]}>{t(`intelligence.themes.state.${theme.state}`)}</Tag>}
      actions={
        canDecide && theme.state === 'proposed'
          ? [
              <Button key="adopt" type="primary" loading={decide.isPending} onClick={() => act('adopt')}>
                {t('intelligence.themes.adopt')}
              </Button>,
              <Button key="dismiss" loading={decide.isPending} onClick={() => act('dismiss')}>
                {t('intelligence.themes.dismiss')}
              </Button>,
            ]
          : undefined
      }
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('intelligence.themes.problem')}>{theme.problem}</Descriptions.Item>
        <Descriptions.Item label={t('intelligence.themes.place')}>{theme.place}</Descriptions.Item>
        <Descriptions.Item label={t('intelligence.themes.people')}>
          {t('intelligence.hot.peopleCount', { people: theme.people, cases: theme.caseCount })}
        </Descriptions.Item>
        <Descriptions.Item label={t('intelligence.themes.departments')}>
          {theme.departments.map((d) => d.name).join('、') || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('intelligence.themes.rootFix')}>{theme.rootFix}</Descriptions.Item>
      </Descriptions>
      {c && (
        <Flex vertical gap={4} style={{ marginTop: 8 }}>
          <Link to={`/campaigns/${encodeURIComponent(c.id)}`}>{t('intelligence.themes.campaign')}</Link>
          <Progress
            percent={c.items > 0 ? Math.round((c.cleared / c.items) * 100) : 0}
            format={() => t('intelligence.themes.cleared', { cleared: c.cleared, items: c.items })}
            status={c.atZero ? 'success' : 'active'}
          />
          {c.atZero && <Tag color="green">{t('campaigns.atZero')}</Tag>}
        </Flex>
      )}
    </Card>
  );
}

/** The monthly theme (每月一题): proposals for next month, adopted into campaigns and followed to zero. */
export function ThemesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const months = [monthOf(new Date(), 1), monthOf(new Date(), 0), monthOf(new Date(), -1)];
  const [month, setMonth] = useState(months[0]!);
  const themes = useThemes(month);
  const propose = useProposeThemes();
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('intelligence.themes.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('intelligence.themes.hint')}
      </Typography.Paragraph>
      <Flex gap={12} wrap align="center">
        <Segmented value={month} onChange={setMonth} options={months} />
        {can('theme.propose') && (
          <Button
            type="primary"
            loading={propose.isPending}
            onClick={() =>
              propose.mutate(month, {
                onSuccess: (list) =>
                  message.success(t('intelligence.themes.proposed', { count: list.length })),
                onError: (e) => message.error(describeActionError(t, e)),
              })
            }
          >
            {t('intelligence.themes.propose')}
          </Button>
        )}
      </Flex>
      {themes.isError && <Alert type="error" showIcon title={describeError(t, themes.error)} />}
      {themes.data && themes.data.length === 0 && <Empty description={t('intelligence.themes.empty')} />}
      <Flex vertical gap={12}>
        {(themes.data ?? []).map((theme) => (
          <ThemeCard key={theme.id} theme={theme} canDecide={can('theme.adopt')} />
        ))}
      </Flex>
    </Flex>
  );
}
