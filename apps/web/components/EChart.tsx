'use client';
/**
 * A thin echarts host: the option comes from a pure builder (lib/charts/options.ts); this
 * component only owns the instance, its size and the theme. Tree-shaken imports from
 * `echarts/core` (PLATFORM.md).
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { currentTheme, THEME_EVENT } from '@/lib/theme';

use([
  LineChart,
  BarChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

interface Props {
  option: EChartsCoreOption;
  height?: number;
  label: string;
  testId?: string;
}

export function EChart({ option, height = 220, label, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType>(undefined);
  const [theme, setTheme] = useState(currentTheme);

  useEffect(() => {
    const on = () => setTheme(currentTheme());
    window.addEventListener(THEME_EVENT, on);
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', on);
    return () => {
      window.removeEventListener(THEME_EVENT, on);
      mq?.removeEventListener('change', on);
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, [theme]);

  // a new instance (theme change) needs the option again
  // biome-ignore lint/correctness/useExhaustiveDependencies: theme re-applies the option
  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true });
  }, [option, theme]);

  return (
    <div ref={box} role="img" aria-label={label} data-testid={testId} style={{ height, width: '100%' }} />
  );
}
