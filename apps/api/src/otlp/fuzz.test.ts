/** Hostile bytes never make an OTLP decoder throw: each returns a value or one error. */
import { describe, expect, it } from 'vitest';
import { mutate, randomBytes, rng } from '../intake/fuzz';
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json';
import { decodeLogsProto } from './logs-proto';
import { metricsToSeries } from './metric-series';
import { decodeMetricsProto } from './metrics-proto';
import type { Decoded } from './model';
import { spanToRow } from './span-rows';
import { envelope, logs, metrics, span } from './testing';
import { decodeTracesProto } from './traces-proto';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROUNDS = 1500;

function fuzz<T>(
  name: string,
  seed: Uint8Array,
  decode: (b: Uint8Array) => Decoded<T>,
  use?: (v: T) => void,
) {
  it(`${name}: random and mutated bytes give values or errors, never exceptions`, () => {
    const r = rng(0x5eed ^ name.length);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const input = i % 3 === 0 ? randomBytes(r, 256) : mutate(r, seed);
      const d = decode(input);
      if (d.ok) {
        outcomes.ok++;
        use?.(d.value);
      } else {
        outcomes.error++;
        expect(typeof d.error).toBe('string');
      }
    }
    // the mutations must reach both outcomes, or the fuzzer is not exercising the decoder
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const spans = envelope('svc', [
  span({ trace: TRACE, span: '00f067aa0ba902b7', name: 'GET /', kind: 2, startNs: 1e18, endNs: 1e18 + 5e6 }),
  span({
    trace: TRACE,
    span: '00f067aa0ba902b8',
    parent: '00f067aa0ba902b7',
    name: 'q',
    kind: 3,
    startNs: 1e18,
    endNs: 1e18 + 1e6,
  }),
]);

describe('OTLP decoders under fuzzing', () => {
  fuzz(
    'traces protobuf',
    spans,
    (b) => decodeTracesProto(b),
    (v) => {
      for (const s of v) spanToRow(s, () => 1);
    },
  );
  fuzz(
    'metrics protobuf',
    metrics(1e18),
    (b) => decodeMetricsProto(b),
    (v) => metricsToSeries(v),
  );
  fuzz('logs protobuf', logs(1e18, TRACE), (b) => decodeLogsProto(b));
  fuzz(
    'traces JSON',
    json({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'w' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  spanId: '00f067aa0ba902b7',
                  name: 'x',
                  kind: 2,
                  attributes: [
                    {
                      key: 'a',
                      value: { kvlistValue: { values: [{ key: 'b', value: { intValue: '1' } }] } },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    }),
    (b) => decodeTracesJson(b),
    (v) => {
      for (const s of v) spanToRow(s, () => undefined);
    },
  );
  fuzz(
    'metrics JSON',
    json({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'h',
                  histogram: {
                    dataPoints: [{ count: '3', sum: 1, bucketCounts: ['1', '2'], explicitBounds: [1] }],
                  },
                },
              ],
            },
          ],
        },
      ],
    }),
    (b) => decodeMetricsJson(b),
    (v) => metricsToSeries(v),
  );
  fuzz(
    'logs JSON',
    json({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' }, traceId: TRACE }] }] }],
    }),
    (b) => decodeLogsJson(b),
  );

  it('deeply nested AnyValues stop at the depth limit', () => {
    const deep = `${'{"arrayValue":{"values":['.repeat(5000)}{"stringValue":"leaf"}${']}}'.repeat(5000)}`;
    const body = new TextEncoder().encode(
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${deep}}]}]}]}`,
    );
    const d = decodeLogsJson(body);
    expect(d.ok && JSON.stringify(d.value[0]!.body)).toBe('[[[[[[[[null]]]]]]]]');
  });
});
