import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { describeError } from '../api/describeError';
import { useCaseList } from './evaluationApi';

/** The cases behind one figure of one unit, or behind one hotspot cell: each opens its case page. */
export function MeasureCasesPage() {
  const { t } = useTranslation();
  const { measure = 'filed' } = useParams();
  const [params] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const cell = params.get('cell');
  const q = useCaseList(
    cell
      ? { cell, from, to }
      : { measure, level: params.get('level') ?? 'street', unit: params.get('unit') ?? '', from, to },
  );
  const title = cell
    ? t('evaluation.cases.cellTitle', { cell })
    : t('evaluation.cases.title', {
        measure: t(`evaluation.measure.${measure}`, { defaultValue: measure }),
        unit: params.get('name') ?? params.get('unit') ?? '',
      });
  return (
    <Card title={title}>
      <Typography.Paragraph type="secondary">
        {t('evaluation.dashboard.period', { from, to })}
        {q.data && ` · ${t('evaluation.cases.count', { count: q.data.count })}`}
      </Typography.Paragraph>
      {q.isError && <Typography.Text type="danger">{describeError(t, q.error)}</Typography.Text>}
      <List
        data-testid="measure-cases"
        loading={q.isPending}
        size="small"
        grid={{ gutter: 8, xs: 1, sm: 2, md: 3, xl: 4 }}
        dataSource={q.data?.caseNumbers ?? []}
        pagination={{ pageSize: 60, hideOnSinglePage: true }}
        renderItem={(n) => (
          <List.Item>
            <Link to={`/cases/${n}`}>{n}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}
