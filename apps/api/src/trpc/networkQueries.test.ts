import { describe, expect, it } from 'vitest';
import { compile } from './mapQueries';
import {
  edgeInput,
  edgeSeriesText,
  flowsInput,
  flowsText,
  networkEdgesText,
  networkInput,
  seriesStep,
} from './networkQueries';
import { dependencyText, errorsText, serviceInput, serviceSeriesText } from './serviceQueries';

const RANGE = { start: 1_700_000_000, end: 1_700_003_600 };

describe('network queries', () => {
  it('reads L4 edges from network_map at the range resolution, grouped by any tag', () => {
    const input = networkInput.parse({ ...RANGE, groupBy: 'namespace' });
    const c = compile(networkEdgesText(input), input.start, input.end, 100);
    expect(c.sql).toContain('flow_metrics.network_map_1m');
    expect(c.sql).toContain('pod_ns_id_0');
    const week = networkInput.parse({ start: 0, end: 7 * 86400 });
    expect(compile(networkEdgesText(week), week.start, week.end, 10).sql).toContain('network_map_1h');
  });

  it('narrows flow logs to an edge, an address, a port and close types with bound values', () => {
    const input = flowsInput.parse({
      ...RANGE,
      filters: {
        source: "x' OR 1=1 --",
        target: 'db',
        ip: '10.0.0.1',
        server_port: 3306,
        close_type: ['server_rst'],
      },
    });
    const c = compile(flowsText(input), input.start, input.end, input.limit);
    expect(c.sql).toContain('flow_log.l4_flow_log');
    expect(c.sql).not.toContain('OR 1=1');
    expect(Object.values(c.params)).toEqual(expect.arrayContaining(["x' OR 1=1 --", 'db', 'server_rst']));
    expect(() => flowsInput.parse({ ...RANGE, filters: { close_type: ['bogus'] } })).toThrow();
    expect(() => flowsInput.parse({ ...RANGE, filters: { ip: '10.0.0.1; DROP' } })).toThrow();
  });

  it('steps series by minute up to two hours and coarser beyond (about 120 points)', () => {
    expect(seriesStep(0, 3600)).toBe(60);
    expect(seriesStep(0, 86400)).toBe(720);
    const e = edgeInput.parse({ start: 0, end: 3 * 86400, source: 'a', target: 'b' });
    expect(compile(edgeSeriesText(e), e.start, e.end, 10).sql).toContain('network_map_1h');
  });
});

describe('service queries', () => {
  const input = serviceInput.parse({ ...RANGE, service: 'cart' });
  it('compile: series per step, dependencies both ways, failed requests by endpoint', () => {
    for (const text of [
      serviceSeriesText(input),
      dependencyText(input, 'upstream'),
      dependencyText(input, 'downstream'),
      errorsText(input),
    ]) {
      const c = compile(text, input.start, input.end, 100);
      expect(Object.values(c.params)).toContain('cart');
    }
    expect(dependencyText(input, 'upstream')).toContain('auto_service_0 AS n');
    expect(dependencyText(input, 'downstream')).toContain('auto_service_1 AS n');
    expect(compile(errorsText(input), input.start, input.end, 10).sql).toContain('flow_log.l7_flow_log');
  });
});
