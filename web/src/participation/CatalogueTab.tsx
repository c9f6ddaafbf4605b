import {
  Button,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/authApi';
import { formatBeijing } from '../time/beijing';
import { Failure } from './Failure';
import { useCommunities } from './parkingApi';
import {
  createReward,
  type Reward,
  updateReward,
  useParticipationAction,
  useRewards,
  useRules,
  writeRules,
} from './participationApi';

const RULE_KINDS = ['report_verified', 'volunteer_hour', 'sorting_check'] as const;

interface RewardValues {
  communityCode: string;
  name: string;
  description?: string;
  cost: number;
  /** A new reward's stock; for one already listed, the items to add (negative: take away). */
  stock: number;
}

/**
 * The rewards catalogue of the staff's communities (add a reward with its stock, edit it, add or take
 * away stock) and the district's points rules (a new version is written whole and is active at once).
 * The server decides who may: rewards by the community's staff, rules by the district.
 */
export function CatalogueTab() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const scope = session.data?.user.scopeCode ?? null;
  const street = scope && scope.length >= 9 ? scope.slice(0, 9) : null;
  const district = scope && scope.length >= 6 ? scope.slice(0, 6) : null;
  const communities = useCommunities(street);
  const rewards = useRewards(street);
  const rules = useRules(district);
  const [editing, setEditing] = useState<Reward | 'new' | null>(null);
  const [rulesOpen, setRulesOpen] = useState(false);
  const [form] = Form.useForm<RewardValues>();
  const [rulesForm] = Form.useForm<{ label: string } & Record<(typeof RULE_KINDS)[number], number>>();
  const saveReward = useParticipationAction((v: RewardValues) =>
    editing && editing !== 'new'
      ? updateReward({
          id: editing.id,
          name: v.name,
          description: v.description ?? '',
          cost: v.cost,
          ...(v.stock ? { stockDelta: v.stock } : {}),
        })
      : createReward({
          communityCode: v.communityCode,
          name: v.name,
          description: v.description || undefined,
          cost: v.cost,
          stock: v.stock,
        }),
  );
  const saveRules = useParticipationAction(writeRules);
  const communityName = (code: string) => communities.data?.find((c) => c.code === code)?.name ?? code;

  useEffect(() => {
    if (!editing) return;
    saveReward.reset();
    form.setFieldsValue(
      editing === 'new'
        ? { communityCode: communities.data?.[0]?.code, name: '', description: '', cost: 10, stock: 10 }
        : { ...editing, stock: 0 },
    );
  }, [editing, communities.data, form, saveReward.reset]);

  const active = rules.data?.active ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{t('participation.setup.catalogue')}</Typography.Title>
      <Failure error={rewards.error} />
      <Button type="primary" style={{ alignSelf: 'flex-start' }} onClick={() => setEditing('new')}>
        {t('participation.setup.addReward')}
      </Button>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={rewards.isLoading}
        dataSource={rewards.data ?? []}
        columns={[
          { title: t('participation.reward'), dataIndex: 'name' },
          { title: t('participation.setup.community'), render: (_, r) => communityName(r.communityCode) },
          { title: t('participation.setup.description'), dataIndex: 'description' },
          { title: t('participation.cost'), dataIndex: 'cost' },
          { title: t('participation.setup.stock'), dataIndex: 'stock' },
          {
            title: '',
            render: (_, r) => (
              <Button size="small" onClick={() => setEditing(r)}>
                {t('participation.setup.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('participation.setup.rules')}</Typography.Title>
      <Failure error={rules.error} />
      {active && (
        <Descriptions
          size="small"
          bordered
          column={1}
          title={t('participation.setup.activeVersion', { number: active.number, label: active.label })}
          items={RULE_KINDS.map((k) => ({
            key: k,
            label: t(`participation.setup.ruleKind.${k}`),
            children: active.rules[k] ?? 0,
          }))}
        />
      )}
      <Button
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          saveRules.reset();
          rulesForm.setFieldsValue({
            label: '',
            ...Object.fromEntries(RULE_KINDS.map((k) => [k, active?.rules[k] ?? 0])),
          });
          setRulesOpen(true);
        }}
      >
        {t('participation.setup.newRules')}
      </Button>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rules.data?.versions ?? []}
        columns={[
          { title: t('participation.setup.version'), dataIndex: 'number' },
          { title: t('participation.setup.label'), dataIndex: 'label' },
          {
            title: t('participation.state'),
            render: (_, v) => (v.active ? <Tag color="green">{t('participation.setup.active')}</Tag> : null),
          },
          {
            title: t('participation.setup.writtenAt'),
            render: (_, v) => formatBeijing(v.createdAt, i18n.language),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('participation.setup.addReward') : t('participation.setup.editReward')}
        okText={t('participation.proposals.save')}
        confirmLoading={saveReward.isPending}
        onCancel={() => setEditing(null)}
        onOk={() =>
          form
            .validateFields()
            .then((v) => saveReward.mutate(v, { onSuccess: () => setEditing(null) }))
            .catch(() => undefined)
        }
      >
        <Failure error={saveReward.error} />
        <Form form={form} name="reward" layout="vertical">
          <Form.Item
            name="communityCode"
            label={t('participation.setup.community')}
            rules={[{ required: true }]}
          >
            <Select
              disabled={editing !== 'new'}
              options={(communities.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('participation.reward')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('participation.setup.description')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
          <Form.Item name="cost" label={t('participation.cost')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100_000} precision={0} />
          </Form.Item>
          <Form.Item
            name="stock"
            label={editing === 'new' ? t('participation.setup.stock') : t('participation.setup.stockDelta')}
            rules={[{ required: true }]}
          >
            <InputNumber min={editing === 'new' ? 0 : -100_000} max={100_000} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={rulesOpen}
        title={t('participation.setup.newRules')}
        okText={t('participation.setup.activate')}
        confirmLoading={saveRules.isPending}
        onCancel={() => setRulesOpen(false)}
        onOk={() =>
          district &&
          rulesForm
            .validateFields()
            .then(({ label, ...amounts }) =>
              saveRules.mutate(
                { districtCode: district, label, rules: amounts },
                { onSuccess: () => setRulesOpen(false) },
              ),
            )
            .catch(() => undefined)
        }
      >
        <Typography.Paragraph type="secondary">{t('participation.setup.rulesHint')}</Typography.Paragraph>
        <Failure error={saveRules.error} />
        <Form form={rulesForm} name="pointsRules" layout="vertical">
          <Form.Item
            name="label"
            label={t('participation.setup.label')}
            rules={[{ required: true, max: 200 }]}
          >
            <Input />
          </Form.Item>
          {RULE_KINDS.map((k) => (
            <Form.Item
              key={k}
              name={k}
              label={t(`participation.setup.ruleKind.${k}`)}
              rules={[{ required: true }]}
            >
              <InputNumber min={0} max={1000} precision={0} />
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </Space>
  );
}
