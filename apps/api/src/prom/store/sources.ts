/** Several metric sources read as one (ingested samples + Zeroscope's own tables). */
import type { Labels, TimeSeries } from '../series';
import type { Matcher } from './matchers';
import type { MetricSource } from './prom-store';

export class MergedSource implements MetricSource {
  constructor(private readonly sources: readonly MetricSource[]) {}

  async select(
    ms: readonly Matcher[],
    fromMs: number,
    toMs: number,
    maxSamples: number,
  ): Promise<TimeSeries[]> {
    const out: TimeSeries[] = [];
    let left = maxSamples;
    for (const s of this.sources) {
      const got = await s.select(ms, fromMs, toMs, Math.max(0, left));
      for (const x of got) left -= x.samples.length;
      out.push(...got);
    }
    return out;
  }

  async series(ms: readonly Matcher[], fromMs: number, toMs: number): Promise<Labels[]> {
    return (await Promise.all(this.sources.map((s) => s.series(ms, fromMs, toMs)))).flat();
  }

  async labelNames(): Promise<string[]> {
    const all = (await Promise.all(this.sources.map((s) => s.labelNames()))).flat();
    return [...new Set(all)].sort();
  }
}
