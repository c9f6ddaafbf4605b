import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Row,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { useCan, useCurrentUser } from '../auth/currentUser';
import { formatDateTime } from '../cases/CaseLabels';
import { CASE_STATES, type CaseState } from '../cases/caseTypes';
import { CategoryPicker } from '../cases/categories';
import { LevelTag } from '../cases/LevelTag';
import { useOrganisations, useStreets } from '../territory/territoryApi';
import { filterProblem, type LedgerFilterValues, ledgerSelection, streetsInScope } from './ledgerFilters';
import { ledgerExportUrl, useLedger } from './ledgersApi';
import { LEDGER_STATES, type LedgerEntry } from './ledgerTypes';

const PAGE_SIZE = 50;
const INITIAL: LedgerFilterValues = { state: 'open' };

/** The case ledger (台账, 一本账) with its filters and the Excel export of the same selection. */
export function LedgerPage() {
  const { t, i18n } = useTranslation();
  const user = useCurrentUser();
  const [form] = Form.useForm<LedgerFilterValues>();
  const [values, setValues] = useState<LedgerFilterValues>(INITIAL);
  const [page, setPage] = useState(1);
  const problem = filterProblem(values);
  const selection = useMemo(() => ledgerSelection(problem ? INITIAL : values), [values, problem]);
  const ledger = useLedger(selection, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const streets = useStreets();
  const organisations = useOrganisations();
  const can = useCan();
  const boundToOrganisation = can('case.read_assigned');

  const streetOptions = streetsInScope(streets.data ?? [], user.scopeCode, boundToOrganisation).map(
    (street) => ({
      value: street.code,
      label: street.name,
    }),
  );
  const unitOptions = (organisations.data ?? [])
    .filter((org) => org.kind !== 'street_office')
    .map((org) => ({ value: org.id, label: org.name }));

  const columns: TableColumnsType<LedgerEntry> = [
    {
      title: t('ledgers.column.caseNumber'),
      dataIndex: 'caseNumber',
      render: (caseNumber: string, entry) => (
        <Link to={`/cases/${encodeURIComponent(entry.id)}`}>{caseNumber}</Link>
      ),
      fixed: 'left',
    },
    { title: t('ledgers.column.problemType'), dataIndex: 'problemType' },
    // Long text is cut to its column and shown whole on hover (the cell's title).
    { title: t('ledgers.column.location'), dataIndex: 'location', width: 200, ellipsis: true },
    {
      title: t('ledgers.column.alley'),
      dataIndex: 'alleyName',
      render: (name: string | null) => name ?? '—',
    },
    {
      title: t('ledgers.column.responsibleUnit'),
      dataIndex: 'responsibleUnit',
      render: (name: string | null) => name ?? '—',
    },
    {
      title: t('ledgers.column.foundAt'),
      dataIndex: 'foundAt',
      render: (at: string) => formatDateTime(at, i18n.language),
    },
    {
      title: t('ledgers.column.deadline'),
      dataIndex: 'deadline',
      render: (at: string | null) => formatDateTime(at, i18n.language),
    },
    {
      title: t('ledgers.column.state'),
      dataIndex: 'state',
      // In the page's language: the server's label is Chinese (it is the workbook's column).
      render: (state: string, entry) => (
        <LevelTag level={entry.open ? 'yellow' : 'green'}>
          {state === 'closed'
            ? t('ledgers.struckState')
            : (CASE_STATES as readonly string[]).includes(state)
              ? t(`cases.state.${state as CaseState}`)
              : entry.stateLabel}
        </LevelTag>
      ),
    },
    {
      title: t('ledgers.column.rectification'),
      dataIndex: 'rectification',
      width: 200,
      ellipsis: true,
      render: (text: string | null) => text ?? '—',
    },
    {
      title: t('ledgers.column.verification'),
      dataIndex: 'verification',
      width: 180,
      ellipsis: true,
      render: (v: LedgerEntry['verification']) => v?.text ?? '—',
    },
    {
      title: t('ledgers.column.closedAt'),
      dataIndex: 'closedAt',
      render: (at: string | null) => formatDateTime(at, i18n.language),
    },
  ];

  const serverError =
    ledger.error instanceof ApiError && ledger.error.code === 'OUT_OF_SCOPE'
      ? t('cases.error.OUT_OF_SCOPE')
      : ledger.isError
        ? describeError(t, ledger.error)
        : null;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('ledgers.title')}
        </Typography.Title>
        <Button href={ledgerExportUrl(selection)} download disabled={problem !== null}>
          {t('ledgers.export')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('ledgers.hint')}
      </Typography.Paragraph>
      <Card size="small">
        <Form<LedgerFilterValues>
          form={form}
          layout="vertical"
          name="ledger-filters"
          aria-label={t('ledgers.filters')}
          initialValues={INITIAL}
          onValuesChange={(_, all) => {
            setValues(all);
            setPage(1);
          }}
        >
          <Row gutter={12}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="street" label={t('ledgers.street')}>
                <Select
                  allowClear
                  placeholder={t('ledgers.allStreets')}
                  options={streetOptions}
                  loading={streets.isPending}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={4}>
              <Form.Item name="state" label={t('ledgers.state')}>
                <Select
                  options={LEDGER_STATES.map((state) => ({
                    value: state,
                    label: t(`ledgers.stateOption.${state}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item name="unit" label={t('ledgers.unit')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('ledgers.allUnits')}
                  options={unitOptions}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item
                name="from"
                label={t('ledgers.from')}
                validateStatus={problem === 'badPeriod' ? 'error' : undefined}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6} lg={3}>
              <Form.Item
                name="to"
                label={t('ledgers.to')}
                validateStatus={problem === 'badPeriod' ? 'error' : undefined}
                help={problem === 'badPeriod' ? t('ledgers.badPeriod') : undefined}
              >
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={5}>
              <Form.Item
                name="category"
                label={t('ledgers.category')}
                validateStatus={problem === 'categoryInvalid' ? 'error' : undefined}
                help={problem === 'categoryInvalid' ? t('ledgers.categoryInvalid') : undefined}
              >
                <CategoryPicker allowClear placeholder={t('ledgers.allCategories')} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {serverError && <Alert type="error" showIcon title={serverError} />}
      <Card
        size="small"
        title={
          ledger.data
            ? t('ledgers.counts', { open: ledger.data.open, closed: ledger.data.closed })
            : t('common.loading')
        }
      >
        <Table<LedgerEntry>
          rowKey="id"
          size="small"
          loading={ledger.isFetching}
          dataSource={ledger.data?.items ?? []}
          columns={columns}
          scroll={{ x: 1400 }}
          locale={{ emptyText: t('ledgers.empty') }}
          data-testid="ledger-table"
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: ledger.data?.total ?? 0,
            onChange: setPage,
            showTotal: (total) => t('common.total', { count: total }),
            hideOnSinglePage: true,
          }}
        />
      </Card>
    </Flex>
  );
}
