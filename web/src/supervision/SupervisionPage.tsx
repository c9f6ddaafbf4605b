import { Alert, Button, Card, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { formatDateTime } from '../cases/CaseLabels';
import { CategoryLabel } from '../cases/categories';
import { ContractorCheckForm } from './ContractorChecks';
import { InspectionFindings, InspectionForm } from './InspectionForm';
import {
  type CoverageAlley,
  type Indicator,
  useActivateVersion,
  useContractorMonth,
  useCoverage,
  useIndicators,
  useIndicatorVersions,
  useInspections,
  useLive,
  useSaveIndicators,
  useTierProgress,
} from './supervisionApi';

/**
 * Supervision in the field for the console: the indicator system (edit, save as a new version,
 * activate an earlier one), patrol coverage of the jurisdiction with live positions, inspections with
 * their form, contractor months and the tier plan's progress. Every rule is the server's; this page
 * shows its answers.
 */
export function SupervisionPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('supervision.title')}>
      <Tabs
        items={[
          { key: 'coverage', label: t('supervision.tabs.coverage'), children: <CoverageTab /> },
          { key: 'inspections', label: t('supervision.tabs.inspections'), children: <InspectionsTab /> },
          { key: 'indicators', label: t('supervision.tabs.indicators'), children: <IndicatorsTab /> },
          { key: 'contractors', label: t('supervision.tabs.contractors'), children: <ContractorsTab /> },
          { key: 'tiers', label: t('supervision.tabs.tiers'), children: <TiersTab /> },
        ]}
      />
    </Card>
  );
}

function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <Alert type="warning" showIcon message={describeError(t, error)} />;
}

function IndicatorsTab() {
  const { t } = useTranslation();
  const system = useIndicators();
  const versions = useIndicatorVersions();
  const save = useSaveIndicators();
  const activate = useActivateVersion();
  const [edits, setEdits] = useState<Record<string, number>>({});
  if (system.error) return <Failure error={system.error} />;
  const items = system.data?.items ?? [];
  const edited = items.map((it) =>
    edits[it.code] === undefined ? it : { ...it, deduction: edits[it.code]! },
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {system.data && (
        <Typography.Text>
          {t('supervision.indicators.version', {
            number: system.data.version.number,
            label: system.data.version.label,
            shape: system.data.shape.join(' / '),
          })}
        </Typography.Text>
      )}
      <Button
        type="primary"
        disabled={Object.keys(edits).length === 0}
        loading={save.isPending}
        onClick={() => save.mutate(edited, { onSuccess: () => setEdits({}) })}
      >
        {t('supervision.indicators.save')}
      </Button>
      {save.error && <Failure error={save.error} />}
      <Table<Indicator>
        rowKey="code"
        size="small"
        loading={system.isLoading}
        dataSource={edited}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('supervision.indicators.code'), dataIndex: 'code' },
          { title: t('supervision.indicators.level'), dataIndex: 'level' },
          { title: t('supervision.indicators.name'), dataIndex: 'name' },
          {
            title: t('supervision.indicators.category'),
            dataIndex: 'categoryKey',
            render: (key: string | null) => (key ? <CategoryLabel categoryKey={key} /> : '—'),
          },
          {
            title: t('supervision.indicators.deduction'),
            render: (_, it) =>
              it.level === 3 ? (
                <InputNumber
                  aria-label={`${it.code} ${t('supervision.indicators.deduction')}`}
                  min={0.5}
                  max={it.deductionCap}
                  step={0.5}
                  value={it.deduction}
                  onChange={(v) => v !== null && setEdits((e) => ({ ...e, [it.code]: v }))}
                />
              ) : null,
          },
          {
            title: t('supervision.indicators.cap'),
            render: (_, it) => (it.level === 3 ? it.deductionCap : ''),
          },
        ]}
      />
      <Typography.Title level={5}>{t('supervision.indicators.versions')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={versions.data ?? []}
        columns={[
          { title: '#', dataIndex: 'number' },
          { title: t('supervision.indicators.label'), dataIndex: 'label' },
          { title: t('supervision.indicators.created'), dataIndex: 'createdAt' },
          {
            title: '',
            render: (_, v) =>
              v.active ? (
                <Tag color="green">{t('supervision.indicators.active')}</Tag>
              ) : (
                <Button size="small" loading={activate.isPending} onClick={() => activate.mutate(v.id)}>
                  {t('supervision.indicators.activate')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}

/** A plain SVG sketch of the jurisdiction's alleys: walked in green, not walked in red, walkers as dots. */
function CoverageSketch({
  alleys,
  live,
}: {
  alleys: Pick<CoverageAlley, 'id' | 'covered' | 'geometry'>[];
  live: { patrolId: string; lng: number; lat: number; stale: boolean }[];
}) {
  const { t } = useTranslation();
  const coords = alleys.flatMap((a) => a.geometry?.coordinates ?? []);
  if (coords.length === 0) return null;
  const xs = coords.map((c) => c[0] ?? 0);
  const ys = coords.map((c) => c[1] ?? 0);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const w = 640;
  const h = Math.max(200, Math.round((w * (maxY - minY) * 1.3) / Math.max(1e-9, maxX - minX)));
  const px = ([x = 0, y = 0]: readonly number[]) =>
    `${(((x - minX) / Math.max(1e-9, maxX - minX)) * (w - 20) + 10).toFixed(1)},${(h - 10 - ((y - minY) / Math.max(1e-9, maxY - minY)) * (h - 20)).toFixed(1)}`;
  return (
    <svg
      width={w}
      height={h}
      role="img"
      aria-label={t('supervision.coverage.map')}
      style={{ background: '#f6f6f6' }}
    >
      {alleys.map((a) => (
        <polyline
          key={a.id}
          points={(a.geometry?.coordinates ?? []).map(px).join(' ')}
          fill="none"
          stroke={a.covered ? '#237804' : '#cf1322'}
          strokeWidth={a.covered ? 4 : 2}
        />
      ))}
      {live.map((p) => {
        const [x, y] = px([p.lng, p.lat]).split(',');
        return <circle key={p.patrolId} cx={x} cy={y} r={7} fill={p.stale ? '#8c8c8c' : '#1677ff'} />;
      })}
    </svg>
  );
}

function CoverageTab() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<'day' | 'week'>('day');
  const coverage = useCoverage(period);
  const live = useLive(true);
  if (coverage.error) return <Failure error={coverage.error} />;
  const data = coverage.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        value={period}
        onChange={setPeriod}
        options={[
          { value: 'day', label: t('supervision.coverage.today') },
          { value: 'week', label: t('supervision.coverage.week') },
        ]}
      />
      {data && (
        <Typography.Text>
          {t('supervision.coverage.summary', { covered: data.coveredCount, total: data.alleyCount })}
        </Typography.Text>
      )}
      {data && <CoverageSketch alleys={data.alleys} live={live.data ?? []} />}
      <Typography.Title level={5}>{t('supervision.coverage.live')}</Typography.Title>
      {live.error ? (
        <Failure error={live.error} />
      ) : (
        <Table
          rowKey="patrolId"
          size="small"
          pagination={false}
          dataSource={live.data ?? []}
          columns={[
            { title: t('supervision.coverage.walker'), dataIndex: 'displayName' },
            { title: t('supervision.coverage.at'), dataIndex: 'at' },
            {
              title: '',
              render: (_, p) =>
                p.stale ? (
                  <Tag>{t('supervision.coverage.stale')}</Tag>
                ) : (
                  <Tag color="blue">{t('supervision.coverage.fresh')}</Tag>
                ),
            },
          ]}
        />
      )}
      <Typography.Title level={5}>{t('supervision.coverage.uncovered')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={coverage.isLoading}
        dataSource={(data?.alleys ?? []).filter((a) => !a.covered)}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t('supervision.coverage.alley'), dataIndex: 'name' },
          {
            title: t('supervision.coverage.length'),
            dataIndex: 'lengthM',
            render: (m: number) => Math.round(m),
          },
        ]}
      />
      <Table
        rowKey="userId"
        size="small"
        pagination={false}
        dataSource={data?.people ?? []}
        columns={[
          { title: t('supervision.coverage.walker'), dataIndex: 'displayName' },
          { title: t('supervision.coverage.patrols'), dataIndex: 'patrols' },
          { title: t('supervision.coverage.length'), dataIndex: 'lengthM' },
          { title: t('supervision.coverage.walked'), dataIndex: 'coveredAlleys' },
        ]}
      />
    </Space>
  );
}

function InspectionsTab() {
  const { t, i18n } = useTranslation();
  const list = useInspections();
  const coverage = useCoverage('week');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <InspectionForm alleys={coverage.data?.alleys ?? []} />
      {list.error && <Failure error={list.error} />}
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        expandable={{ expandedRowRender: (i) => <InspectionFindings inspection={i} /> }}
        scroll={{ x: true }}
        columns={[
          { title: t('supervision.inspections.alley'), dataIndex: 'alleyName' },
          { title: t('supervision.inspections.score'), dataIndex: 'score' },
          { title: t('supervision.inspections.findings'), dataIndex: 'findingCount' },
          { title: t('supervision.inspections.inspector'), render: (_, i) => i.inspector.name },
          {
            title: t('supervision.inspections.at'),
            render: (_, i) => formatDateTime(i.createdAt, i18n.language),
          },
        ]}
      />
    </Space>
  );
}

function ContractorsTab() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const months = useContractorMonth(month);
  const coverage = useCoverage('week');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 180 }} />
      {months.error && <Failure error={months.error} />}
      <Typography.Text strong>{t('supervision.contractors.monthly')}</Typography.Text>
      <Table
        rowKey="organisationId"
        size="small"
        pagination={false}
        dataSource={months.data ?? []}
        columns={[
          { title: t('supervision.contractors.name'), dataIndex: 'name' },
          { title: t('supervision.contractors.checks'), dataIndex: 'checks' },
          { title: t('supervision.contractors.average'), dataIndex: 'averageScore' },
          { title: t('supervision.contractors.deductions'), dataIndex: 'deductions' },
          { title: t('supervision.contractors.repeats'), dataIndex: 'repeats' },
        ]}
      />
      <ContractorCheckForm alleys={coverage.data?.alleys ?? []} month={month} />
    </Space>
  );
}

function TiersTab() {
  const { t } = useTranslation();
  const progress = useTierProgress();
  if (progress.error) return <Failure error={progress.error} />;
  const p = progress.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {p && (
        <Typography.Text>
          {t('supervision.tiers.summary', { name: p.plan.name, met: p.met, alleys: p.alleys })}
        </Typography.Text>
      )}
      <Table
        rowKey="code"
        size="small"
        loading={progress.isLoading}
        pagination={false}
        dataSource={p?.streets ?? []}
        columns={[
          { title: t('supervision.tiers.street'), dataIndex: 'name' },
          {
            title: t('supervision.tiers.exemplary'),
            render: (_, s) => `${s.achieved.exemplary} / ${s.target.exemplary}`,
          },
          { title: t('supervision.tiers.fine'), render: (_, s) => `${s.achieved.fine} / ${s.target.fine}` },
          {
            title: t('supervision.tiers.compliant'),
            render: (_, s) => `${s.achieved.compliant} / ${s.target.compliant}`,
          },
          { title: t('supervision.tiers.met'), render: (_, s) => `${s.met} / ${s.alleys}` },
        ]}
      />
    </Space>
  );
}
