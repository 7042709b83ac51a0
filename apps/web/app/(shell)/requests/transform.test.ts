import { describe, expect, it } from 'vitest';
import type { RequestLogListRow } from '@/lib/api-types';
import { detailSections } from './detail';
import { formatDuration, statusTone, summary, toTableRows } from './transform';

function row(over: Partial<RequestLogListRow> = {}): RequestLogListRow {
  return {
    start_time: Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000,
    end_time: Date.UTC(2026, 0, 2, 3, 4, 5, 700) * 1000,
    response_duration: 22_000,
    l7_protocol: 'http1',
    version: '1.1',
    request_type: 'GET',
    request_domain: 'shop.local',
    request_resource: '/api/cart?id=3',
    endpoint: '/api/cart',
    request_id: 0,
    response_status: 'server_error',
    response_code: 503,
    response_exception: 'Service Unavailable',
    request_length: 120,
    response_length: 2048,
    trace_id: '',
    ip_0: '10.0.0.1',
    ip_1: 'fe80::1',
    client_port: 51000,
    server_port: 8080,
    protocol: 'tcp',
    flow_id: 9,
    process_id_0: 100,
    process_id_1: 200,
    process_kname_0: 'curl',
    process_kname_1: 'node',
    observation_point: 'c-p',
    signal_source: 'ebpf',
    agent_id: 1,
    ...over,
  };
}

describe('request table transform', () => {
  it('formats durations across units', () => {
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(2_345)).toBe('2.35 ms');
    expect(formatDuration(22_000)).toBe('22.0 ms');
    expect(formatDuration(1_250_000)).toBe('1.25 s');
    expect(formatDuration(-1)).toBe('');
  });

  it('maps statuses to tones', () => {
    expect(statusTone('ok')).toBe('ok');
    expect(statusTone('client_error')).toBe('warn');
    expect(statusTone('timeout')).toBe('error');
    expect(statusTone('unknown')).toBe('muted');
  });

  it('shapes a row for display, bracketing IPv6 endpoints', () => {
    const [r] = toTableRows([row()]);
    expect(r).toMatchObject({
      protocol: 'http1',
      type: 'GET',
      resource: '/api/cart?id=3',
      status: 'server_error',
      tone: 'error',
      code: '503',
      duration: '22.0 ms',
      client: '10.0.0.1:51000',
      server: '[fe80::1]:8080',
    });
    expect(r!.time).toMatch(/^\d\d-\d\d \d\d:\d\d:\d\d\.678$/);
    expect(r!.id).toBe(`${row().start_time}.${row().end_time}.9.0.1.c-p`);
  });

  it('falls back to the endpoint and keeps ids unique for duplicate keys', () => {
    const rows = toTableRows([row({ request_resource: '' }), row({ request_resource: '' })]);
    expect(rows[0]!.resource).toBe('/api/cart');
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  });

  it('summarises the page', () => {
    expect(summary(0, 0, 500, 0)).toBe('No requests');
    expect(summary(1234, 1, 500, 500)).toBe('501–1,000 of 1,234 requests');
  });
});

describe('detail sections', () => {
  it('shows every field exactly once, attributes zipped, tag ids grouped', () => {
    const record: Record<string, unknown> = {
      ...row(),
      req_tcp_seq: 1,
      auto_service_id_1: 5,
      pod_id_0: 0,
      mystery: 'x',
      attribute_names: ['http.user_agent'],
      attribute_values: ['curl/8'],
    };
    const sections = detailSections(record);
    const names = sections.flatMap((s) => s.fields.map((f) => f.name));
    const expected = Object.keys(record).filter((k) => k !== 'attribute_names' && k !== 'attribute_values');
    expect(names.filter((n) => n !== 'http.user_agent').sort()).toEqual(expected.sort());
    const byTitle = Object.fromEntries(sections.map((s) => [s.title, s.fields]));
    expect(byTitle.Attributes).toEqual([{ name: 'http.user_agent', value: 'curl/8' }]);
    expect(byTitle.Tags!.map((f) => f.name)).toEqual(['auto_service_id_1', 'pod_id_0']);
    expect(byTitle.Other!.map((f) => f.name)).toEqual(['mystery']);
    expect(byTitle.Timing!.find((f) => f.name === 'response_duration')!.value).toBe('22.0 ms');
    expect(byTitle.Request!.find((f) => f.name === 'request_length')!.value).toBe('120 B');
  });
});
