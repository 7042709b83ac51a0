/** Our own RabbitMQ capture (amqplib: declare, bind, publish, consume, a rejected redeclare). */
import { describe, expect, it } from 'vitest';
import { replayCapture } from './fixture-helpers';

describe('AMQP capture from amqplib against RabbitMQ', async () => {
  const logs = (await replayCapture('amqp-client.pcap')).filter((l) => l.l7_protocol === 'amqp');
  const find = (type: string) => logs.filter((l) => l.request_type === type);

  it('reports the topology calls with their names, answered ok', () => {
    expect(find('queue.bind')[0]).toMatchObject({
      request_resource: 'zs_queue <- zs_ex/zs_rk',
      response_status: 'ok',
    });
    expect(find('queue.declare')[0]?.request_resource).toBe('zs_queue');
    expect(find('connection.open')[0]?.request_domain).toBe('/');
  });

  it('reports publish (one-way) and the broker delivery with exchange/routing key', () => {
    expect(find('basic.publish')[0]?.request_resource).toBe('zs_ex/zs_rk');
    expect(find('basic.deliver')[0]?.request_resource).toBe('zs_ex/zs_rk');
  });

  it('pairs the rejected redeclare with channel.close 406 on its channel', () => {
    const declares = find('exchange.declare');
    expect(declares.map((l) => l.response_code)).toEqual([0, 406]);
    expect(declares[1]).toMatchObject({ response_status: 'client_error', request_id: 2 });
    expect(declares[1]?.response_exception).toMatch(/^PRECONDITION_FAILED - inequivalent arg 'type'/);
  });
});
