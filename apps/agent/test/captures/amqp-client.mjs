// RabbitMQ through amqplib: declare, bind, publish, consume one message, then a
// redeclare with another type that the broker rejects with 406 PRECONDITION_FAILED.
import amqp from 'amqplib';

const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
const ch = await conn.createChannel();
await ch.assertExchange('zs_ex', 'direct', { durable: false, autoDelete: true });
await ch.assertQueue('zs_queue', { durable: false, autoDelete: true });
await ch.bindQueue('zs_queue', 'zs_ex', 'zs_rk');
ch.publish('zs_ex', 'zs_rk', Buffer.from('hello'));
await new Promise((resolve) =>
  ch.consume('zs_queue', (m) => {
    ch.ack(m);
    resolve();
  }),
);
const bad = await conn.createChannel();
bad.on('error', () => {});
await bad.assertExchange('zs_ex', 'topic', { durable: false, autoDelete: true }).catch(() => {});
await ch.close();
await conn.close();
