import { Button, Space, Spin, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/describeError';
import { casesLink, percent, useBulletin } from './evaluationApi';

const ScoreBars = lazy(async () => ({ default: (await import('./TrendChart')).ScoreBars }));

// A4 portrait with print margins; the console's frame and the buttons are left off paper.
const PRINT_CSS = `
@page { size: A4 portrait; margin: 16mm 14mm; }
.bulletin { max-width: 182mm; margin: 0 auto; background: #fff; padding: 8mm; font-size: 12px; }
.bulletin table { width: 100%; border-collapse: collapse; margin-bottom: 8px; }
.bulletin th, .bulletin td { border: 1px solid #999; padding: 2px 4px; text-align: left; }
.bulletin h1 { text-align: center; font-size: 20px; }
.bulletin h2 { font-size: 15px; margin-top: 14px; }
.bulletin section { break-inside: avoid; }
@media print {
  .no-print, .ant-layout-sider, .ant-layout-header { display: none !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; padding: 0 !important; margin: 0 !important; }
  .bulletin { padding: 0; max-width: none; }
}
`;

// The section levels are the server's unit types, which the translations name.
const levelKey = (level: string) => `evaluation.level.${level}` as 'evaluation.level.street';

/** The quarterly bulletin (季通报) as a printable page, with the same figures as its workbook. */
export function BulletinPage() {
  const { t } = useTranslation();
  const { quarter = '' } = useParams();
  const q = useBulletin(quarter);
  if (q.isPending) return <Spin />;
  if (q.isError) return <Typography.Text type="danger">{describeError(t, q.error)}</Typography.Text>;
  const b = q.data;
  return (
    <>
      <style>{PRINT_CSS}</style>
      <Space className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => window.print()}>
          {t('evaluation.bulletin.print')}
        </Button>
        <Button href={`/api/bulletins/${b.quarter}.xlsx`} download>
          {t('evaluation.bulletin.download')}
        </Button>
      </Space>
      <article className="bulletin" data-testid="bulletin">
        <h1>{t('evaluation.bulletin.heading', { district: b.district.name, quarter: b.quarter })}</h1>
        <p>{t('evaluation.bulletin.intro', { from: b.from, to: b.to })}</p>
        {b.sections.map((s) => (
          <section key={s.level}>
            <h2>{t(levelKey(s.level))}</h2>
            <Suspense fallback={null}>
              <ScoreBars rows={s.rows.map((r) => ({ name: r.unit.name, score: r.score }))} />
            </Suspense>
            <table>
              <thead>
                <tr>
                  <th>{t('evaluation.rankings.rank')}</th>
                  <th>{t('evaluation.unit')}</th>
                  <th>{t('evaluation.rankings.score')}</th>
                  <th>{t('evaluation.rankings.previous')}</th>
                  <th>{t('evaluation.measure.onTimeRate')}</th>
                  <th>{t('evaluation.measure.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {s.rows.map((r) => (
                  <tr key={r.unit.code}>
                    <td>{r.rank ?? '—'}</td>
                    <td>{r.unit.name}</td>
                    <td>{r.score ?? '—'}</td>
                    <td>{r.previousRank ?? '—'}</td>
                    <td>{percent(r.figures.onTimeRate)}</td>
                    <td>
                      <Link to={casesLink('overdue', r.unit, b.from, b.to)}>{r.figures.overdue}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.bottom.length > 0 && (
              <>
                <h2>{t('evaluation.bulletin.named', { level: t(levelKey(s.level)) })}</h2>
                <ul>
                  {s.bottom.map((u) => (
                    <li key={u.unit.code}>
                      <strong>
                        {u.unit.name}（{t('evaluation.rankings.rank')} {u.rank}，
                        {t('evaluation.rankings.score')} {u.score}）
                      </strong>
                      ：{t('evaluation.bulletin.overdueCases', { count: u.overdue.length })}{' '}
                      {u.overdue.slice(0, 20).join('、')}
                      {u.overdue.length > 20 ? ' …' : ''}；
                      {t('evaluation.bulletin.reworkedCases', { count: u.reworked.length })}{' '}
                      {u.reworked.slice(0, 20).join('、')}
                      {u.reworked.length > 20 ? ' …' : ''}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        ))}
        <p style={{ textAlign: 'right' }}>
          {t('evaluation.bulletin.generated', { at: b.generatedAt.slice(0, 16).replace('T', ' ') })}
        </p>
      </article>
    </>
  );
}
