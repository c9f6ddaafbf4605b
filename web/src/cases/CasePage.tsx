import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Flex,
  Grid,
  List,
  Result,
  Row,
  Skeleton,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { useCurrentUser } from '../auth/currentUser';
import { useAlley, useOrganisations, useStreets } from '../territory/territoryApi';
import { raiseActionFor } from '../whistle/raise';
import { ActionForm } from './ActionForm';
import type { ActionFormValues } from './actionBody';
import { ChannelLabel, formatDateTime, SlaTag, StateTag, useNow } from './CaseLabels';
import { CasePhotos } from './CasePhotos';
import { CaseTimeline } from './CaseTimeline';
import { useCase } from './casesApi';
import type { ActionType, CaseDetail } from './caseTypes';
import { CategoryLabel } from './categories';

// MapLibre comes with the map only; the rest of the case page does not wait for it.
const CaseMap = lazy(() => import('./CaseMap'));

/** Actions that close a door (refusals, failures) are shown as such, so nobody fires one by habit. */
const DANGEROUS: ReadonlySet<ActionType> = new Set([
  'reject',
  'send_back',
  'verify_fail',
  'refuse_joint_action',
  'extension_refuse',
  'suspend',
]);

function CaseError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const back = <Link to="/">{t('cases.page.back')}</Link>;
  if (error instanceof ApiError && error.code === 'OUT_OF_SCOPE') {
    return <Result status="403" title={t('cases.page.outOfScope')} extra={back} />;
  }
  if (error instanceof ApiError && error.code === 'FORBIDDEN') {
    return <Result status="403" title={t('cases.page.forbidden')} extra={back} />;
  }
  if (error instanceof ApiError && error.status === 404) {
    return <Result status="404" title={t('cases.page.notFound')} extra={back} />;
  }
  return <Result status="error" title={describeError(t, error)} extra={back} />;
}

function AlleyLink({ id }: { id: string }) {
  const alley = useAlley(id);
  return <Link to={`/territory/alleys/${encodeURIComponent(id)}`}>{alley.data?.name ?? id}</Link>;
}

/** The classifier's proposal in words: the category by name, how sure as a tag, the model in a tooltip. */
function SuggestionLine({ suggestion }: { suggestion: NonNullable<CaseDetail['suggestion']> }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="suggestion">
      {t('categories.suggestion')}
      <CategoryLabel categoryKey={suggestion.key} />{' '}
      {suggestion.confidence !== null && (
        <Tooltip title={suggestion.model ? t('categories.model', { model: suggestion.model }) : undefined}>
          <Tag color="geekblue" data-testid="suggestion-confidence">
            {t('categories.confidence', { percent: Math.round(suggestion.confidence * 100) })}
          </Tag>
        </Tooltip>
      )}
    </Typography.Text>
  );
}

function CaseFacts({ detail, unitName }: { detail: CaseDetail; unitName: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const streets = useStreets();
  const streetName =
    streets.data?.find((street) => street.code === detail.streetCode)?.name ?? detail.streetCode;
  const items: DescriptionsProps['items'] = [
    { key: 'description', label: t('cases.page.description'), children: detail.description, span: 'filled' },
    {
      key: 'category',
      label: t('cases.page.category'),
      children: (
        <>
          <CategoryLabel categoryKey={detail.categoryKey} fallbackName={detail.categoryName} />
          {detail.suggestion && detail.suggestion.key !== detail.categoryKey && (
            <SuggestionLine suggestion={detail.suggestion} />
          )}
        </>
      ),
    },
    { key: 'channel', label: t('cases.column.channel'), children: <ChannelLabel channel={detail.channel} /> },
    {
      key: 'reportedAt',
      label: t('cases.column.reportedAt'),
      children: formatDateTime(detail.createdAt, i18n.language),
    },
    {
      key: 'deadline',
      label: t('cases.page.deadline'),
      children: formatDateTime(detail.handlingDeadline, i18n.language),
    },
    ...(detail.originalHandlingDeadline && detail.originalHandlingDeadline !== detail.handlingDeadline
      ? [
          {
            key: 'originalDeadline',
            label: t('cases.page.originalDeadline'),
            children: formatDateTime(detail.originalHandlingDeadline, i18n.language),
          },
        ]
      : []),
    {
      key: 'tier',
      label: t('cases.page.tier'),
      children: detail.tier ? t(`cases.tierShort.${detail.tier as 1 | 2 | 3}`) : '—',
    },
    {
      key: 'unit',
      label: t('cases.page.assignedUnit'),
      // Every summoned unit of a joint action, not only the first.
      children:
        detail.assignedUnits.length > 0 ? (
          <span data-testid="assigned-units">
            {detail.assignedUnits.map((u) => unitName(u.organisationId)).join(t('cases.page.separator'))}
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'address', label: t('cases.page.address'), children: detail.address ?? '—' },
    { key: 'street', label: t('cases.page.street'), children: streetName },
    { key: 'grid', label: t('cases.page.grid'), children: detail.gridCode ?? '—' },
    {
      key: 'alley',
      label: t('cases.page.alley'),
      children: detail.alleyId ? <AlleyLink id={detail.alleyId} /> : '—',
    },
    {
      key: 'reporter',
      label: t('cases.page.reporter'),
      children:
        [detail.reporter.name, detail.reporter.contact].filter(Boolean).join(' · ') ||
        t('cases.page.anonymous'),
    },
    { key: 'supporters', label: t('cases.page.supporters'), children: detail.supporters },
    {
      key: 'trackingCode',
      label: t('cases.page.trackingCode'),
      children: <code>{detail.trackingCode}</code>,
    },
  ];
  return <Descriptions size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

interface OpenAction {
  action: ActionType;
  initialValues?: ActionFormValues;
  title?: string;
}

function ActionPanel({ detail, onOpen }: { detail: CaseDetail; onOpen: (open: OpenAction) => void }) {
  const { t } = useTranslation();
  // The server says what this user may do now; the console keeps no copy of the rules.
  const actions = detail.allowedActions;
  const routingName = detail.routing?.organisationName;
  // The whistle is a tier-3 dispatch; the street raises it from here as from the whistle page.
  const whistle = raiseActionFor(actions);
  const hasJointAction = detail.tier === 3;
  return (
    <Flex vertical gap={12}>
      {actions.length === 0 ? (
        <Typography.Text type="secondary">{t('cases.page.noActions')}</Typography.Text>
      ) : (
        <Flex wrap gap={8}>
          {actions.map((action, index) => (
            <Button
              key={action}
              type={index === 0 && !DANGEROUS.has(action) ? 'primary' : 'default'}
              danger={DANGEROUS.has(action)}
              onClick={() => onOpen({ action })}
            >
              {t(`cases.action.${action}`)}
            </Button>
          ))}
        </Flex>
      )}
      {(whistle || hasJointAction) && (
        <Flex wrap gap={8}>
          {whistle && (
            <Button
              onClick={() =>
                onOpen({ action: whistle, initialValues: { tier: 3 }, title: t('whistle.raiseTitle') })
              }
            >
              {t('whistle.raise')}
            </Button>
          )}
          {hasJointAction && (
            <Link to={`/whistle/${encodeURIComponent(detail.id)}`}>{t('whistle.open')}</Link>
          )}
        </Flex>
      )}
      {routingName && ['accepted', 'returned'].includes(detail.state) && (
        <Typography.Text type="secondary">{t('cases.page.routing', { name: routingName })}</Typography.Text>
      )}
    </Flex>
  );
}

function Duplicates({
  detail,
  canMerge,
  onMerge,
}: {
  detail: CaseDetail;
  canMerge: boolean;
  onMerge: (caseNumber: string) => void;
}) {
  const { t } = useTranslation();
  const duplicates = detail.duplicates ?? [];
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">{t('cases.page.duplicatesHint')}</Typography.Text>
      <List
        size="small"
        dataSource={duplicates}
        renderItem={(candidate) => (
          <List.Item
            actions={
              canMerge
                ? [
                    <Button key="merge" size="small" onClick={() => onMerge(candidate.caseNumber)}>
                      {t('cases.action.merge')}
                    </Button>,
                  ]
                : []
            }
          >
            <Flex vertical>
              <Space wrap>
                <Link to={`/cases/${encodeURIComponent(candidate.id)}`}>{candidate.caseNumber}</Link>
                <StateTag state={candidate.state} />
                {candidate.sameCategory && <Tag>{t('cases.page.sameCategory')}</Tag>}
                <Typography.Text type="secondary">
                  {t('cases.page.distance', { meters: candidate.distanceMeters })}
                </Typography.Text>
              </Space>
              <Typography.Text ellipsis style={{ maxWidth: 360 }}>
                {candidate.description}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}

export function CasePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const query = useCase(id);
  const organisations = useOrganisations();
  const now = useNow();
  const [open, setOpen] = useState<OpenAction | null>(null);
  // On a phone the handler's actions come first, above the facts: they are what a field visit is for.
  const narrow = Grid.useBreakpoint().md === false;

  if (query.isPending) return <Skeleton active paragraph={{ rows: 12 }} />;
  if (query.isError) return <CaseError error={query.error} />;

  const detail = query.data;
  const unitName = (unitId: string) => organisations.data?.find((org) => org.id === unitId)?.name ?? unitId;
  const before = detail.photos?.report ?? [];
  const after = detail.photos?.after ?? [];
  const canMerge = detail.allowedActions.includes('merge');

  return (
    <Flex vertical gap={16}>
      <Link to="/">← {t('cases.page.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap align="center">
          <Typography.Title
            level={2}
            style={{ fontSize: narrow ? 17 : 20, margin: 0, wordBreak: 'break-all' }}
          >
            {detail.caseNumber}
          </Typography.Title>
          <StateTag state={detail.state} />
          <SlaTag dto={detail} now={now} />
          {detail.tier && <Tag>{t(`cases.tierShort.${detail.tier as 1 | 2 | 3}`)}</Tag>}
        </Space>
        <Button onClick={() => void query.refetch()} loading={query.isRefetching}>
          {t('cases.page.refresh')}
        </Button>
      </Flex>
      {narrow && (
        <Card size="small" title={t('cases.page.actions')} data-testid="case-actions">
          <ActionPanel detail={detail} onOpen={setOpen} />
        </Card>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            <Card size="small">
              <CaseFacts detail={detail} unitName={unitName} />
            </Card>
            {(before.length > 0 || after.length > 0) && (
              <Card size="small" title={t('cases.page.photos')}>
                <CasePhotos before={before} after={after} />
              </Card>
            )}
            <Card size="small" title={t('cases.page.timeline')}>
              <CaseTimeline events={detail.events} unitName={unitName} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            {!narrow && (
              <Card size="small" title={t('cases.page.actions')} data-testid="case-actions">
                <ActionPanel detail={detail} onOpen={setOpen} />
              </Card>
            )}
            {(detail.duplicates?.length ?? 0) > 0 && (
              <Card size="small" title={t('cases.page.duplicates')}>
                <Duplicates
                  detail={detail}
                  canMerge={canMerge}
                  onMerge={(caseNumber) =>
                    setOpen({ action: 'merge', initialValues: { targetCaseId: caseNumber } })
                  }
                />
              </Card>
            )}
            <Card size="small" title={t('cases.page.map')}>
              <Suspense fallback={<Spin description={t('map.loading')} />}>
                <CaseMap lng={detail.location.lng} lat={detail.location.lat} streetCode={detail.streetCode} />
              </Suspense>
            </Card>
          </Flex>
        </Col>
      </Row>
      {open && (
        <ActionForm
          key={open.action}
          action={open.action}
          initialValues={open.initialValues}
          title={open.title}
          detail={detail}
          user={user}
          onClose={() => setOpen(null)}
          onDone={(action) => {
            setOpen(null);
            void message.success(t('cases.page.done', { action: t(`cases.action.${action}`) }));
          }}
        />
      )}
    </Flex>
  );
}
