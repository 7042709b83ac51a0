import { describe, expect, it } from 'vitest';
import { keyToString, listInput, PAGE_SIZE, parseKey, parseView, writeView } from './view-state';

const key = {
  start_time: 1_700_000_000_123_456,
  end_time: 1_700_000_000_200_000,
  flow_id: 42,
  request_id: 7,
  agent_id: 3,
  observation_point: 's-p' as const,
};

describe('requests view state', () => {
  it('reads every part of the view from the URL', () => {
    const v = parseView(
      new URLSearchParams(
        `range=1h&refresh=5s&proto=mysql,http1,bogus&status=server_error&q=users&page=2&sel=${keyToString(key)}`,
      ),
    );
    expect(v).toEqual({
      range: { kind: 'relative', last: '1h' },
      refresh: '5s',
      protocols: ['http1', 'mysql'],
      statuses: ['server_error'],
      search: 'users',
      page: 2,
      selected: key,
    });
  });

  it('writes a view that parses back to itself and keeps foreign params', () => {
    const v = parseView(
      new URLSearchParams('from=100&to=200&proto=redis&q=GET%20foo&sel=' + keyToString(key)),
    );
    const p = writeView(v, new URLSearchParams('other=x'));
    expect(p.get('other')).toBe('x');
    expect(parseView(p)).toEqual(v);
  });

  it('drops defaults and empty values from the URL', () => {
    const v = parseView(new URLSearchParams(''));
    expect(writeView(v).toString()).toBe('range=15m');
  });

  it('rejects malformed record keys and pages', () => {
    expect(parseKey('1.2.3.4.5.x')).toBeUndefined();
    expect(parseKey('1.2.3.4.c')).toBeUndefined();
    expect(parseKey('99999999999999999999.2.3.4.5.c')).toBeUndefined();
    expect(parseView(new URLSearchParams('page=-1')).page).toBe(0);
    expect(parseView(new URLSearchParams('page=1.5')).page).toBe(0);
  });

  it('builds the API input: page offset and only the filters that are set', () => {
    const v = parseView(new URLSearchParams('status=timeout&page=3&q=%20%20'));
    expect(listInput(v, 10, 20)).toEqual({
      start: 10,
      end: 20,
      limit: PAGE_SIZE,
      offset: 3 * PAGE_SIZE,
      filters: { response_status: ['timeout'] },
    });
  });
});
