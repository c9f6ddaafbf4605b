import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BurndownSeries } from './burndown';

// Only the parts this chart draws, so the chunk stays a fraction of the full ECharts build.
// The figure's text alternative is written here (ECharts' aria component would overwrite it on its node).
use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

type Option = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** The burn-down chart. Loaded lazily with ECharts, only on the campaign page. */
export default function BurndownChart({ series }: { series: BurndownSeries }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = init(element, undefined, { renderer: 'canvas' });
    const option: Option = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: series.dates },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('campaigns.series.added'),
          type: 'bar',
          stack: 'flow',
          data: series.added,
          color: '#d4a017',
        },
        {
          name: t('campaigns.series.reopened'),
          type: 'bar',
          stack: 'flow',
          data: series.reopened,
          color: '#c0392b',
        },
        {
          name: t('campaigns.series.cleared'),
          type: 'bar',
          stack: 'flow',
          data: series.cleared,
          color: '#2e7d32',
        },
        {
          name: t('campaigns.series.open'),
          type: 'line',
          data: series.open,
          color: '#1f4e9e',
          symbolSize: 6,
          lineStyle: { width: 3 },
        },
        {
          name: t('campaigns.target'),
          type: 'line',
          data: series.target,
          color: '#767676',
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 1 },
        },
      ],
    };
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [series, t]);

  return (
    <div
      role="img"
      aria-label={t('campaigns.chartLabel', {
        from: series.dates[0] ?? '',
        to: series.dates.at(-1) ?? '',
        open: series.openNow,
      })}
      data-testid="burndown-chart"
    >
      <div ref={ref} style={{ width: '100%', height: 320 }} />
    </div>
  );
}
