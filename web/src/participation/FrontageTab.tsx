import {
  Alert,
  Button,
  Card,
  Checkbox,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../auth/currentUser';
import { useAlleysInScope } from '../territory/territoryApi';
import { BEIJING_TIME_ZONE } from '../time/beijing';
import { Failure } from './Failure';
import {
  byAlley,
  DUTIES,
  monthsBefore,
  recordCheck,
  registerShop,
  SHOP_KINDS,
  type Shop,
  type ShopBody,
  useRatings,
  useShops,
} from './frontageApi';
import { useParticipationAction } from './participationApi';

const AGREEMENT_COLOUR: Record<Shop['agreementState'], string> = {
  valid: 'green',
  expired: 'red',
  not_yet: 'blue',
  none: 'default',
};

/** Stars as text (★★★☆☆), or "not rated" when the shop had no check in the month. */
export function Stars({ stars, notRated }: { stars: number | null; notRated: string }) {
  if (stars === null) return <Typography.Text type="secondary">{notRated}</Typography.Text>;
  return (
    <span role="img" aria-label={`${stars}/5`} style={{ color: '#d48806', letterSpacing: 1 }}>
      {'★'.repeat(stars)}
      <span style={{ color: '#d9d9d9' }}>{'★'.repeat(5 - stars)}</span>
    </span>
  );
}

/** This month on the Beijing calendar, YYYY-MM. */
function beijingMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: BEIJING_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date());
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}

interface ShopDraft {
  alleyId: string | undefined;
  name: string;
  kind: ShopBody['kind'];
  address: string;
  responsibleName: string;
  responsiblePhone: string;
  withAgreement: boolean;
  stretch: string;
  lengthM: number | null;
  signedOn: string;
  validUntil: string;
}

interface CheckDraft {
  shop: Shop;
  checkedOn: string;
  appearanceOk: boolean;
  sanitationOk: boolean;
  orderOk: boolean;
  note: string;
}

const emptyShop = (): ShopDraft => ({
  alleyId: undefined,
  name: '',
  kind: 'shop',
  address: '',
  responsibleName: '',
  responsiblePhone: '',
  withAgreement: true,
  stretch: '',
  lengthM: null,
  signedOn: '',
  validUntil: '',
});

/**
 * 门前三包 (frontage responsibility) for the community's and street's staff: the shops of their scope
 * per alley with their agreement and the month's stars, registering a shop with its agreement, and
 * recording a check (each duty passed or failed). The server rates and decides the scope.
 */
export function FrontageTab() {
  const { t } = useTranslation();
  const can = useCan();
  const [month, setMonth] = useState<string | undefined>(undefined);
  const shops = useShops(month);
  const ratings = useRatings(month);
  const perAlley = new Map((ratings.data?.alleys ?? []).map((a) => [a.alleyId, a]));
  const alleys = useAlleysInScope();
  const register = useParticipationAction(registerShop);
  const check = useParticipationAction(recordCheck);
  const [shopDraft, setShopDraft] = useState<ShopDraft | null>(null);
  const [checkDraft, setCheckDraft] = useState<CheckDraft | null>(null);
  const notRated = t('participation.frontage.notRated');
  const shownMonth = shops.data?.month;

  const submitShop = () => {
    if (!shopDraft?.alleyId) return;
    const d = shopDraft;
    register.mutate(
      {
        alleyId: d.alleyId!,
        name: d.name,
        kind: d.kind,
        address: d.address,
        responsibleName: d.responsibleName || undefined,
        responsiblePhone: d.responsiblePhone || undefined,
        agreement: d.withAgreement
          ? {
              stretch: d.stretch,
              lengthM: d.lengthM ?? undefined,
              signedOn: d.signedOn,
              validUntil: d.validUntil,
              signatory: d.responsibleName || undefined,
            }
          : undefined,
      },
      { onSuccess: () => setShopDraft(null) },
    );
  };

  const submitCheck = () => {
    if (!checkDraft) return;
    const d = checkDraft;
    check.mutate(
      {
        shopId: d.shop.id,
        checkedOn: d.checkedOn || undefined,
        appearanceOk: d.appearanceOk,
        sanitationOk: d.sanitationOk,
        orderOk: d.orderOk,
        note: d.note || undefined,
      },
      { onSuccess: () => setCheckDraft(null) },
    );
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="frontage-tab">
      <Alert type="info" showIcon message={t('participation.frontage.formula')} />
      <Space wrap>
        <span>{t('participation.frontage.month')}</span>
        <Select
          style={{ width: 140 }}
          value={shownMonth}
          options={monthsBefore(beijingMonth()).map((m) => ({ value: m, label: m }))}
          onChange={setMonth}
          aria-label={t('participation.frontage.month')}
        />
        {can('frontage.manage') && (
          <Button type="primary" onClick={() => setShopDraft(emptyShop())}>
            {t('participation.frontage.register')}
          </Button>
        )}
      </Space>
      <Failure error={shops.error} />
      {shops.data && shops.data.items.length === 0 && (
        <Typography.Text type="secondary">{t('participation.frontage.none')}</Typography.Text>
      )}
      {byAlley(shops.data?.items ?? []).map((g) => {
        const summary = perAlley.get(g.alleyId);
        const average = summary?.averageStars ?? null;
        return (
          <Card
            key={g.alleyId}
            size="small"
            title={g.alleyName}
            extra={
              summary && average !== null
                ? t('participation.frontage.average', {
                    average: average.toFixed(1),
                    rated: summary.rated,
                    shops: summary.shops,
                  })
                : notRated
            }
          >
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={g.shops}
              columns={[
                { title: t('participation.frontage.name'), dataIndex: 'name' },
                {
                  title: t('participation.frontage.kind'),
                  render: (_, s: Shop) => t(`participation.frontage.kinds.${s.kind}`),
                },
                { title: t('participation.frontage.address'), dataIndex: 'address' },
                {
                  title: t('participation.frontage.responsible'),
                  render: (_, s: Shop) =>
                    [s.responsibleName, s.responsiblePhone].filter(Boolean).join(' ') || '—',
                },
                {
                  title: t('participation.frontage.agreement'),
                  render: (_, s: Shop) => (
                    <Space size={4} wrap>
                      <Tag color={AGREEMENT_COLOUR[s.agreementState]}>
                        {t(`participation.frontage.agreementState.${s.agreementState}`)}
                      </Tag>
                      {s.agreement && (
                        <Typography.Text type="secondary">
                          {t('participation.frontage.agreementLine', {
                            version: s.agreement.version,
                            stretch: s.agreement.stretch,
                            until: s.agreement.validUntil,
                          })}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('participation.frontage.stars'),
                  render: (_, s: Shop) => (
                    <span data-testid={`stars-${s.id}`}>
                      <Stars stars={s.rating.stars} notRated={notRated} />
                    </span>
                  ),
                },
                {
                  title: t('participation.frontage.checks'),
                  render: (_, s: Shop) =>
                    t('participation.frontage.passed', {
                      passed: s.rating.passed,
                      items: s.rating.items,
                      checks: s.rating.checks,
                    }),
                },
                {
                  title: '',
                  render: (_, s: Shop) => (
                    <Button
                      size="small"
                      onClick={() =>
                        setCheckDraft({
                          shop: s,
                          checkedOn: '',
                          appearanceOk: true,
                          sanitationOk: true,
                          orderOk: true,
                          note: '',
                        })
                      }
                    >
                      {t('participation.frontage.check')}
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        );
      })}

      <Modal
        open={!!shopDraft}
        title={t('participation.frontage.register')}
        okText={t('participation.frontage.save')}
        okButtonProps={{ disabled: !shopDraft?.alleyId || !shopDraft.name || !shopDraft.address }}
        confirmLoading={register.isPending}
        onOk={submitShop}
        onCancel={() => setShopDraft(null)}
      >
        {shopDraft && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Failure error={register.error} />
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: '100%' }}
              placeholder={t('participation.frontage.alley')}
              aria-label={t('participation.frontage.alley')}
              value={shopDraft.alleyId}
              loading={alleys.isPending}
              options={(alleys.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
              onChange={(alleyId) => setShopDraft({ ...shopDraft, alleyId })}
            />
            <Input
              placeholder={t('participation.frontage.name')}
              aria-label={t('participation.frontage.name')}
              value={shopDraft.name}
              onChange={(e) => setShopDraft({ ...shopDraft, name: e.target.value })}
            />
            <Select
              style={{ width: '100%' }}
              aria-label={t('participation.frontage.kind')}
              value={shopDraft.kind}
              options={SHOP_KINDS.map((k) => ({ value: k, label: t(`participation.frontage.kinds.${k}`) }))}
              onChange={(kind) => setShopDraft({ ...shopDraft, kind })}
            />
            <Input
              placeholder={t('participation.frontage.address')}
              aria-label={t('participation.frontage.address')}
              value={shopDraft.address}
              onChange={(e) => setShopDraft({ ...shopDraft, address: e.target.value })}
            />
            <Space.Compact style={{ width: '100%' }}>
              <Input
                placeholder={t('participation.frontage.responsibleName')}
                aria-label={t('participation.frontage.responsibleName')}
                value={shopDraft.responsibleName}
                onChange={(e) => setShopDraft({ ...shopDraft, responsibleName: e.target.value })}
              />
              <Input
                placeholder={t('participation.frontage.responsiblePhone')}
                aria-label={t('participation.frontage.responsiblePhone')}
                value={shopDraft.responsiblePhone}
                onChange={(e) => setShopDraft({ ...shopDraft, responsiblePhone: e.target.value })}
              />
            </Space.Compact>
            <Typography.Text type="secondary">{t('participation.frontage.personal')}</Typography.Text>
            <Checkbox
              checked={shopDraft.withAgreement}
              onChange={(e) => setShopDraft({ ...shopDraft, withAgreement: e.target.checked })}
            >
              {t('participation.frontage.withAgreement')}
            </Checkbox>
            {shopDraft.withAgreement && (
              <>
                <Typography.Text>
                  {t('participation.frontage.dutiesLine', {
                    duties: DUTIES.map((d) => t(`participation.frontage.duty.${d}`)).join('、'),
                  })}
                </Typography.Text>
                <Input
                  placeholder={t('participation.frontage.stretch')}
                  aria-label={t('participation.frontage.stretch')}
                  value={shopDraft.stretch}
                  onChange={(e) => setShopDraft({ ...shopDraft, stretch: e.target.value })}
                />
                <InputNumber
                  min={1}
                  style={{ width: '100%' }}
                  placeholder={t('participation.frontage.lengthM')}
                  aria-label={t('participation.frontage.lengthM')}
                  value={shopDraft.lengthM}
                  onChange={(v) => setShopDraft({ ...shopDraft, lengthM: v })}
                />
                <Space>
                  <span>
                    {t('participation.frontage.signedOn')}{' '}
                    <Input
                      type="date"
                      aria-label={t('participation.frontage.signedOn')}
                      value={shopDraft.signedOn}
                      onChange={(e) => setShopDraft({ ...shopDraft, signedOn: e.target.value })}
                    />
                  </span>
                  <span>
                    {t('participation.frontage.validUntil')}{' '}
                    <Input
                      type="date"
                      aria-label={t('participation.frontage.validUntil')}
                      value={shopDraft.validUntil}
                      onChange={(e) => setShopDraft({ ...shopDraft, validUntil: e.target.value })}
                    />
                  </span>
                </Space>
              </>
            )}
          </Space>
        )}
      </Modal>

      <Modal
        open={!!checkDraft}
        title={checkDraft ? t('participation.frontage.checkTitle', { name: checkDraft.shop.name }) : ''}
        okText={t('participation.frontage.save')}
        confirmLoading={check.isPending}
        onOk={submitCheck}
        onCancel={() => setCheckDraft(null)}
      >
        {checkDraft && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Failure error={check.error} />
            <Typography.Text type="secondary">{t('participation.frontage.checkHint')}</Typography.Text>
            {(
              [
                ['appearance', 'appearanceOk'],
                ['sanitation', 'sanitationOk'],
                ['order', 'orderOk'],
              ] as const
            ).map(([duty, field]) => (
              <Checkbox
                key={duty}
                checked={checkDraft[field]}
                onChange={(e) => setCheckDraft({ ...checkDraft, [field]: e.target.checked })}
              >
                {t(`participation.frontage.duty.${duty}`)}
              </Checkbox>
            ))}
            <span>
              {t('participation.frontage.checkedOn')}{' '}
              <Input
                type="date"
                aria-label={t('participation.frontage.checkedOn')}
                value={checkDraft.checkedOn}
                onChange={(e) => setCheckDraft({ ...checkDraft, checkedOn: e.target.value })}
              />
            </span>
            <Input.TextArea
              rows={2}
              placeholder={t('participation.frontage.note')}
              aria-label={t('participation.frontage.note')}
              value={checkDraft.note}
              onChange={(e) => setCheckDraft({ ...checkDraft, note: e.target.value })}
            />
          </Space>
        )}
      </Modal>
    </Space>
  );
}
