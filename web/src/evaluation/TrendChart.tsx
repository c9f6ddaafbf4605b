import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

export interface TrendPoint {
  month: string;
  filed: number;
  closed: number;
  onTimeRate: number | null;
  responseRate: number | null;
}

/** Twelve months of filings and closings (bars) and the on-time and response rates (lines, right axis). */
export default function TrendChart({
  points,
  onPick,
}: {
  points: TrendPoint[];
  onPick?: (month: string) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, undefined, { renderer: 'canvas' });
    const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
    const option: Option = {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: points.map((p) => p.month) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          name: t('evaluation.measure.filed'),
          type: 'bar',
          data: points.map((p) => p.filed),
          color: '#7a9cc6',
        },
        {
          name: t('evaluation.measure.closed'),
          type: 'bar',
          data: points.map((p) => p.closed),
          color: '#2e7d32',
        },
        {
          name: t('evaluation.measure.onTimeRate'),
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => pct(p.onTimeRate)),
          color: '#c0392b',
        },
        {
          name: t('evaluation.measure.responseRate'),
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => pct(p.responseRate)),
          color: '#d4a017',
        },
      ],
    };
    chart.setOption(option);
    chart.on('click', (e) => {
      if (typeof e.name === 'string') pick.current?.(e.name);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, t]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={t('evaluation.trendAlt', { months: points.length })}
      style={{ width: '100%', height: 300 }}
    />
  );
}

/** Horizontal bars of unit scores, for the bulletin's printable page. */
export function ScoreBars({ rows }: { rows: { name: string; score: number | null }[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, undefined, { renderer: 'canvas' });
    const scored = rows.filter((r) => r.score !== null).reverse();
    chart.setOption({
      animation: false,
      grid: { left: 150, right: 30, top: 10, bottom: 24 },
      xAxis: { type: 'value', min: 0, max: 100 },
      yAxis: { type: 'category', data: scored.map((r) => r.name), axisLabel: { fontSize: 10 } },
      series: [
        {
          type: 'bar',
          data: scored.map((r) => r.score),
          color: '#1f4e9e',
          label: { show: true, position: 'right', fontSize: 10 },
        },
      ],
    } as Option);
    return () => chart.dispose();
  }, [rows]);
  return (
    <div
      ref={ref}
      role="img"
      aria-label={t('evaluation.bulletin.chartAlt')}
      style={{ width: '100%', height: Math.max(80, rows.filter((r) => r.score !== null).length * 20 + 40) }}
    />
  );
}
