import { Alert, Button, Card, Flex, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../api/describeError';
import { useCan } from '../auth/currentUser';
import { useNow } from './CaseLabels';
import { CaseTable } from './CaseTable';
import { formatTotal, useCases } from './casesApi';
import { CASE_STATES, type CaseState } from './caseTypes';
import { CategoryPicker } from './categories';
import { slaLevel } from './sla';

const PAGE_SIZE = 20;
// Overdue is no state the server filters by, so that view scans this many open cases and pages locally.
const OVERDUE_SCAN = 200;

function parseStates(value: string | null): CaseState[] {
  if (!value) return [];
  return value
    .split(',')
    .filter((state): state is CaseState => (CASE_STATES as readonly string[]).includes(state));
}

/** Every case in the user's scope, filtered by state; the filter and page live in the URL. */
export function CaseListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const can = useCan();
  const states = parseStates(params.get('state'));
  const overdueOnly = params.get('overdue') === '1';
  const category = params.get('category') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const now = useNow();
  const cases = useCases(
    overdueOnly
      ? { states, category, limit: OVERDUE_SCAN, offset: 0 }
      : { states, category, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
  );

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  const overdue = overdueOnly
    ? (cases.data?.items ?? []).filter((dto) => slaLevel(dto, now) === 'red')
    : null;
  const items = overdue ? overdue.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE) : (cases.data?.items ?? []);
  const total = overdue ? overdue.length : (cases.data?.total ?? 0);

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('cases.listTitle')}
        </Typography.Title>
        {can('case.create') && (
          <Link to="/cases/new">
            <Button type="primary">{t('cases.new.open')}</Button>
          </Link>
        )}
      </Flex>
      <Card size="small">
        <Flex vertical gap={12}>
          <Select
            mode="multiple"
            allowClear
            aria-label={t('cases.filterState')}
            placeholder={t('cases.filterState')}
            value={states}
            onChange={(value: CaseState[]) => update({ state: value.join(','), page: null, overdue: null })}
            options={CASE_STATES.map((state) => ({ value: state, label: t(`cases.state.${state}`) }))}
            style={{ maxWidth: 640 }}
          />
          <CategoryPicker
            allowClear
            aria-label={t('cases.filterCategory')}
            placeholder={t('cases.filterCategory')}
            value={category ?? null}
            onChange={(value) => update({ category: value ?? null, page: null })}
            style={{ maxWidth: 640 }}
          />
          {cases.isError && <Alert type="error" title={describeError(t, cases.error)} />}
          <CaseTable
            items={items}
            loading={cases.isFetching}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total,
              showSizeChanger: false,
              // Shown as "10,000+" when the server stopped counting.
              showTotal: (total) =>
                t('common.total', {
                  count: total,
                  replace: { count: overdue || !cases.data ? total : formatTotal(cases.data) },
                }),
              onChange: (next) => update({ page: next > 1 ? String(next) : null }),
            }}
          />
        </Flex>
      </Card>
    </Flex>
  );
}
