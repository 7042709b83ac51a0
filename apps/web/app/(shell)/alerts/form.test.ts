import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, formToSpec, parseMatchers, specToForm, textToPairs } from './form';

describe('rule form', () => {
  it('round-trips a spec through the form', () => {
    const { spec } = formToSpec({
      ...EMPTY_FORM,
      name: ' errors ',
      labels: 'team=shop\n\nenv = prod',
      annotations: 'summary=checkout fails',
      groupBy: 'auto_service, endpoint',
      channelIds: [2],
    });
    expect(spec).toMatchObject({
      name: 'errors',
      condition: { op: '>', threshold: 0.05, noData: 'ok' },
      labels: { team: 'shop', env: 'prod' },
      groupBy: ['auto_service', 'endpoint'],
      forSeconds: 120,
    });
    expect(formToSpec(specToForm(spec!)).spec).toEqual(spec);
  });

  it('explains what is wrong', () => {
    const r = formToSpec({ ...EMPTY_FORM, name: '', threshold: 'x', forSeconds: '-1', labels: 'nope' });
    expect(r.spec).toBeUndefined();
    expect(r.problems).toEqual([
      'name: required',
      'threshold: a number',
      'labels line 1: expected name=value',
      'for: a whole number of seconds',
    ]);
    expect(textToPairs('a=b=c').value).toEqual({ a: 'b=c' });
  });

  it('parses silence matchers', () => {
    expect(parseMatchers('service=cart, env!=dev\npod=~cart-.*').value).toEqual([
      { name: 'service', op: '=', value: 'cart' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'pod', op: '=~', value: 'cart-.*' },
    ]);
    expect(parseMatchers('').problems).toEqual(['at least one matcher']);
    expect(parseMatchers('=x').problems[0]).toMatch(/expected/);
  });
});
