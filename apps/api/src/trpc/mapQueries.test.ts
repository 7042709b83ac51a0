import { describe, expect, it } from 'vitest';
import {
  compile,
  edgesText,
  endpointsText,
  frameStep,
  literal,
  mapInput,
  nodeInput,
  nodesText,
  timelineText,
} from './mapQueries';
import { edgesOf, timelineOf } from './mapShape';

const RANGE = { start: 1_700_000_000, end: 1_700_003_600 };

describe('map queries', () => {
  it('groups edges by the chosen tag on both ends and binds filter values', () => {
    const input = mapInput.parse({
      ...RANGE,
      groupBy: 'namespace',
      filters: { l7_protocol: ['http1'], tags: [{ tag: 'pod', value: "x' OR 1=1 --" }] },
    });
    const text = edgesText(input);
    expect(text).toContain('SELECT `pod_ns_0` AS a, `pod_ns_1` AS b');
    const c = compile(text, input.start, input.end, 1000);
    expect(c.sql).toContain('flow_metrics.application_map_1m');
    expect(c.sql).not.toContain('OR 1=1');
    expect(Object.values(c.params)).toContain("x' OR 1=1 --");
  });

  it('leaves the costly p99 sketch out of the whole-range edges but keeps it for nodes', () => {
    const input = mapInput.parse(RANGE);
    expect(edgesText(input)).not.toContain('p99');
    expect(edgesText(input)).toContain('response_duration_max AS lmax FROM');
    expect(nodesText(input)).toContain('response_duration_p99 AS p99');
  });

  it('rejects a filter on a tag the catalog does not know', () => {
    const input = mapInput.parse({ ...RANGE, filters: { tags: [{ tag: 'no_such_tag', value: 'v' }] } });
    expect(() => compile(edgesText(input), input.start, input.end, 10)).toThrow(/no_such_tag/);
  });

  it('rejects tag names outside the name alphabet before compiling', () => {
    expect(() => mapInput.parse({ ...RANGE, filters: { tags: [{ tag: 'a`b', value: '' }] } })).toThrow();
    expect(() => mapInput.parse({ ...RANGE, groupBy: 'pod`) OR 1' })).toThrow();
  });

  it('groups by any tag the catalog knows on both ends, and rejects others at compile time', () => {
    const byLabel = mapInput.parse({ ...RANGE, groupBy: 'k8s.label.app' });
    const c = compile(edgesText(byLabel), byLabel.start, byLabel.end, 10);
    expect(c.sql).toContain('pod_custom_tag_map');
    expect(Object.values(c.params)).toContain('k8s.label.app');
    const bogus = mapInput.parse({ ...RANGE, groupBy: 'no_such_tag' });
    expect(() => compile(edgesText(bogus), bogus.start, bogus.end, 10)).toThrow(/no_such_tag/);
  });

  it('steps frames by minute up to 12 h and reads the hourly rollup beyond', () => {
    expect(frameStep(0, 6 * 3600)).toBe(60);
    const long = mapInput.parse({ start: 0, end: 3 * 86400 });
    expect(frameStep(long.start, long.end)).toBe(3600);
    expect(compile(timelineText(long), long.start, long.end, 10).sql).toContain('application_map_1h');
  });

  it('filters node detail queries by the node name', () => {
    const input = nodeInput.parse({ ...RANGE, groupBy: 'service', node: 'web' });
    const c = compile(endpointsText(input), input.start, input.end, 10);
    expect(c.sql).toContain('flow_metrics.application_1m');
    expect(Object.values(c.params)).toContain('web');
  });

  it('escapes quotes and backslashes in literals', () => {
    expect(literal("a'b\\")).toBe("'a\\'b\\\\'");
  });
});

describe('map rows', () => {
  const red = (req: number) => [req, 1, 0, req * 10, req, 50, 40];
  it('keeps the busiest observation point per edge', () => {
    const rows = [
      ['a', 'b', 'c-p', ...red(5)],
      ['a', 'b', 's-p', ...red(7)],
      ['b', 'c', 's-p', ...red(1)],
    ].map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v])));
    const edges = edgesOf(rows);
    expect(edges).toHaveLength(2);
    expect(edges.find((e) => e.target === 'b')?.requests).toBe(7);
  });

  it('places timeline rows in per-step frames over the whole range, empty frames included', () => {
    const rows = [
      [1_700_000_040, 'a', 'b', 's-p', ...red(3)],
      [1_700_000_160, 'a', 'c', 's-p', ...red('4' as unknown as number)],
    ].map((r) => Object.fromEntries(r.map((v, i) => [`c${i}`, v])));
    const tl = timelineOf(rows, 1_700_000_000, 1_700_000_240, 60);
    expect(tl.times).toEqual([1_699_999_980, 1_700_000_040, 1_700_000_100, 1_700_000_160, 1_700_000_220]);
    expect(tl.frames[1]).toEqual([[0, 3, 1, 0, 30, 3, 50, 40]]);
    expect(tl.frames[2]).toEqual([]);
    expect(tl.frames[3]?.[0]?.[0]).toBe(1);
  });
});
