/**
 * A chart drawn by Apache ECharts, imported module by module (bar and pie charts, the canvas
 * renderer) so only what the console draws is bundled — and only into the chunk of the page that
 * imports this file (统计分析 is a lazy route): the first load does not carry it. The chart follows
 * its container's width (ResizeObserver), so it fits a phone. Tooltips are drawn on the canvas
 * (renderMode richText): HTML tooltips would bring inline styles the console's CSP refuses.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 300,
  label,
  testId,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.setOption({
      aria: { enabled: true, label: { description: label } },
      ...option,
      tooltip: { renderMode: 'richText', ...(option.tooltip as object) },
    });
    const resized = new ResizeObserver(() => chart.resize());
    resized.observe(element);
    return () => {
      resized.disconnect();
      chart.dispose();
    };
  }, [option, label]);
  return <div ref={box} style={{ width: '100%', height }} role="img" aria-label={label} data-testid={testId} />;
}
