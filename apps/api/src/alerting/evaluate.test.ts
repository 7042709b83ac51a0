import { describe, expect, it } from 'vitest';
import { type EvalRule, evaluate, NO_DATA_KEY } from './evaluate';
import { samplesOf } from './series';
import type { SeriesState } from './types';

const rule = (over: Partial<EvalRule['condition']> = {}, forSeconds = 60): EvalRule => ({
  condition: { op: '>', threshold: 0.5, noData: 'ok', ...over },
  forSeconds,
  labels: { team: 'shop' },
});
const result = (rows: [string, number | null][]) =>
  samplesOf({ columns: ['auto_service', 'error_ratio'], values: rows });

/** Runs evaluations at the given times (s) and returns every transition type with its series. */
function run(r: EvalRule, steps: [number, [string, number | null][]][]) {
  let state = new Map<string, SeriesState>();
  const log: string[] = [];
  for (const [t, rows] of steps) {
    const out = evaluate(r, result(rows), state, t * 1000);
    for (const x of out.transitions) log.push(`${t}:${x.labels.auto_service ?? '-'}:${x.type}`);
    state = out.next;
  }
  return { log, state };
}

describe('evaluate', () => {
  it('goes pending, then firing after the for-duration, then resolved', () => {
    const { log, state } = run(rule(), [
      [0, [['cart', 0.1]]],
      [10, [['cart', 0.9]]],
      [40, [['cart', 0.8]]],
      [70, [['cart', 0.7]]],
      [80, [['cart', 0.9]]],
      [90, [['cart', 0.2]]],
    ]);
    expect(log).toEqual(['10:cart:pending', '70:cart:firing', '90:cart:resolved']);
    expect(state.get('auto_service=cart')?.status).toBe('ok');
  });

  it('clears a pending series that recovers before the for-duration', () => {
    expect(
      run(rule(), [
        [0, [['a', 1]]],
        [30, [['a', 0]]],
      ]).log,
    ).toEqual(['0:a:pending', '30:a:cleared']);
  });

  it('fires at once with forSeconds 0 and keeps series apart', () => {
    const { log } = run(rule({}, 0), [
      [
        0,
        [
          ['a', 1],
          ['b', 0],
        ],
      ],
      [
        1,
        [
          ['a', 1],
          ['b', 1],
        ],
      ],
    ]);
    expect(log).toEqual(['0:a:pending', '0:a:firing', '1:b:pending', '1:b:firing']);
  });

  it('adds the rule labels to every series', () => {
    const out = evaluate(rule({}, 0), result([['a', 1]]), new Map(), 0);
    expect(out.next.get('auto_service=a')?.labels).toEqual({ team: 'shop', auto_service: 'a' });
  });

  it('no data "ok": a vanished firing series resolves', () => {
    expect(
      run(rule({}, 0), [
        [0, [['a', 1]]],
        [1, []],
      ]).log,
    ).toEqual(['0:a:pending', '0:a:firing', '1:a:resolved']);
  });

  it('no data "alerting": a vanished series fires, and an empty result fires a synthetic series', () => {
    const vanished = run(rule({ op: '<', threshold: 1, noData: 'alerting' }, 0), [
      [0, [['agent-1', 5]]],
      [1, []],
    ]);
    expect(vanished.log).toEqual(['1:agent-1:nodata', '1:agent-1:firing']);
    expect(vanished.state.get('auto_service=agent-1')).toMatchObject({ status: 'firing', noData: true });

    const empty = run(rule({ noData: 'alerting' }, 0), [
      [0, []],
      [1, [['a', 0]]],
    ]);
    expect(empty.log).toEqual(['0:-:nodata', '0:-:firing', '1:-:resolved']);
    expect(empty.state.has(NO_DATA_KEY)).toBe(false);
  });

  it('no data "keep": state stays as it was', () => {
    const { log, state } = run(rule({ noData: 'keep' }, 0), [
      [0, [['a', 1]]],
      [1, []],
      [2, [['a', null]]],
    ]);
    expect(log).toEqual(['0:a:pending', '0:a:firing']);
    expect(state.get('auto_service=a')?.status).toBe('firing');
  });

  it.each([
    ['>', 1, 2, true],
    ['>=', 2, 2, true],
    ['<', 1, 2, false],
    ['<=', 2, 2, true],
    ['==', 2, 2, true],
    ['!=', 2, 2, false],
  ] as const)('%s threshold %d value %d breaches: %s', (op, threshold, value, breach) => {
    const out = evaluate(rule({ op, threshold }, 0), result([['a', value]]), new Map(), 0);
    expect(out.next.get('auto_service=a')?.status).toBe(breach ? 'firing' : 'ok');
  });

  it('reads numbers from strings (UInt64 as JSON) and takes the last row of a series', () => {
    const s = samplesOf({
      columns: ['t', 'svc', 'v'],
      values: [
        [1, 'a', '3'],
        [2, 'a', '7'],
      ],
    });
    expect(s.map((x) => [x.key, x.value])).toEqual([
      ['svc=a,t=1', 3],
      ['svc=a,t=2', 7],
    ]);
    expect(
      samplesOf({
        columns: ['svc', 'v'],
        values: [
          ['a', '3'],
          ['a', 'x'],
        ],
      }),
    ).toEqual([{ key: 'svc=a', labels: { svc: 'a' }, value: null }]);
  });
});
