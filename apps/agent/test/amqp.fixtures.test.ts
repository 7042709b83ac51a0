/** AMQP parser over DeepFlow's amqp fixtures through the replay pipeline. */
import { describe, expect, it } from 'vitest';
import { fixturesAvailable, readResult, replayFixture } from './fixture-helpers';

const dotted = (t: unknown) => String(t).toLowerCase().replace(/ok$/, '-ok');

describe.skipIf(!fixturesAvailable)('AMQP DeepFlow fixtures', () => {
  for (const name of ['amqp1', 'amqp2', 'amqp3', 'amqp-error']) {
    it(`${name}: client methods and close errors match DeepFlow`, async () => {
      const logs = (await replayFixture(`amqp/${name}.pcap`)).filter((l) => l.l7_protocol === 'amqp');
      const expected = await readResult(`amqp/${name}.result`);
      // every method DeepFlow names is a request type of ours, except the server's *-ok
      // replies, which complete the record of the request they answer
      const methods = new Set(logs.map((l) => l.request_type));
      for (const e of expected) {
        if (e.frame_type !== 'Method' || typeof e.class_id !== 'string') continue;
        if (String(e.method_id).endsWith('Ok') && e.msg_type === 'Response') continue;
        expect(methods.has(`${String(e.class_id).toLowerCase()}.${dotted(e.method_id)}`)).toBe(true);
      }
      const errors = expected.filter((e) => e.resp_status === 'ClientError' && e.msg_type === 'Response');
      for (const e of errors) {
        const log = logs.find((l) => l.response_exception === e.resp_text);
        expect(log?.response_status).toBe('client_error');
      }
    });
  }

  it('amqp-error: the rejected exchange.declare carries 406 PRECONDITION_FAILED', async () => {
    const logs = (await replayFixture('amqp/amqp-error.pcap')).filter((l) => l.l7_protocol === 'amqp');
    const declare = logs.find((l) => l.request_type === 'exchange.declare' && l.response_code === 406);
    expect(declare?.request_resource).toBe('test_ex');
    expect(declare?.response_exception).toMatch(/^PRECONDITION_FAILED/);
    const open = logs.find((l) => l.request_type === 'connection.open' && l.request_domain === '/bad');
    expect(open).toMatchObject({ response_code: 530, response_status: 'client_error' });
  });

  it('amqp1: publish is one-way with exchange/routing key, queue.bind names all three', async () => {
    const logs = (await replayFixture('amqp/amqp1.pcap')).filter((l) => l.l7_protocol === 'amqp');
    expect(logs.find((l) => l.request_type === 'basic.publish')?.request_resource).toBe('exchange-1/rk-1');
    expect(logs.find((l) => l.request_type === 'queue.bind')?.request_resource).toBe(
      'hello <- exchange-1/rk-1',
    );
    expect(logs.find((l) => l.request_type === 'queue.declare')?.response_status).toBe('ok');
  });
});
