/** DNS over UDP and TCP against DeepFlow's fixtures (JSON `.result` lines). */
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const d = fixturesAvailable ? describe : describe.skip;

d('DeepFlow DNS fixtures', () => {
  for (const name of [
    'dns/dns.pcap',
    'dns/a-and-ns.pcap',
    'dns/nxdomain.pcap',
    'dns/not-handled-qtype.pcap',
    'dns/dns-tcp-multi.pcap',
  ]) {
    it(`${name}: ids, names, types, codes, answers and response times`, async () => {
      const logs = await replayFixture(name);
      const lines = await readResult(name.replace('.pcap', '.result'));
      const responses = lines.filter((l) => l.msg_type === 'Response');
      expect(logs).toHaveLength(lines.filter((l) => l.msg_type === 'Request').length);
      for (const e of responses) {
        const r = logs.find((l) => l.request_id === e.request_id)!;
        expect(r).toBeDefined();
        expect(r.l7_protocol).toBe('dns');
        expect(r.request_type).toBe(e.request_type);
        expect(r.request_resource).toBe(e.request_resource);
        expect(r.request_domain).toBe(e.request_resource);
        expect(r.response_code).toBe(e.response_code);
        expect(r.response_result).toBe(e.response_result ?? '');
        expect(r.response_duration).toBe(e.rrt);
        // PRODUCT.md: NXDOMAIN is a client error (DeepFlow reports one search-domain miss as ok)
        expect(r.response_status).toBe(e.response_code === 3 ? 'client_error' : e.response_status);
      }
    });
  }

  it('dns.pcap: aggregate matches DeepFlow (2 requests, 1 client error, rrt sum 181558)', async () => {
    const logs = await replayFixture('dns/dns.pcap');
    expect(logs.filter((l) => l.response_status === 'client_error')).toHaveLength(1);
    expect(logs.reduce((s, l) => s + l.response_duration, 0)).toBe(181558);
  });

  it('udp and tcp transports are reported', async () => {
    expect((await replayFixture('dns/a-and-ns.pcap'))[0]!.protocol).toBe('udp');
    expect((await replayFixture('dns/dns-tcp-multi.pcap'))[0]!.protocol).toBe('tcp');
  });
});
