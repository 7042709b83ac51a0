/**
 * AMQP 0-9-1 classes and methods (amqp0-9-1.xml): names, which client methods expect a
 * reply, and which server methods answer a client request.
 */

export const CLASSES: Record<number, [string, Record<number, string>]> = {
  10: [
    'connection',
    {
      10: 'start',
      11: 'start-ok',
      20: 'secure',
      21: 'secure-ok',
      30: 'tune',
      31: 'tune-ok',
      40: 'open',
      41: 'open-ok',
      50: 'close',
      51: 'close-ok',
      60: 'blocked',
      61: 'unblocked',
    },
  ],
  20: ['channel', { 10: 'open', 11: 'open-ok', 20: 'flow', 21: 'flow-ok', 40: 'close', 41: 'close-ok' }],
  40: [
    'exchange',
    {
      10: 'declare',
      11: 'declare-ok',
      20: 'delete',
      21: 'delete-ok',
      30: 'bind',
      31: 'bind-ok',
      40: 'unbind',
      51: 'unbind-ok',
    },
  ],
  50: [
    'queue',
    {
      10: 'declare',
      11: 'declare-ok',
      20: 'bind',
      21: 'bind-ok',
      30: 'purge',
      31: 'purge-ok',
      40: 'delete',
      41: 'delete-ok',
      50: 'unbind',
      51: 'unbind-ok',
    },
  ],
  60: [
    'basic',
    {
      10: 'qos',
      11: 'qos-ok',
      20: 'consume',
      21: 'consume-ok',
      30: 'cancel',
      31: 'cancel-ok',
      40: 'publish',
      50: 'return',
      60: 'deliver',
      70: 'get',
      71: 'get-ok',
      72: 'get-empty',
      80: 'ack',
      90: 'reject',
      100: 'recover-async',
      110: 'recover',
      111: 'recover-ok',
      120: 'nack',
    },
  ],
  85: ['confirm', { 10: 'select', 11: 'select-ok' }],
  90: [
    'tx',
    { 10: 'select', 11: 'select-ok', 20: 'commit', 21: 'commit-ok', 30: 'rollback', 31: 'rollback-ok' },
  ],
};

export function methodName(classId: number, methodId: number): string {
  const cls = CLASSES[classId];
  if (!cls) return `${classId}.${methodId}`;
  return `${cls[0]}.${cls[1][methodId] ?? methodId}`;
}

/** Client methods that get no reply: publishes, acks and the client's answers to the server. */
export const CLIENT_ONE_WAY = new Set([
  'basic.publish',
  'basic.ack',
  'basic.reject',
  'basic.nack',
  'basic.recover-async',
  'connection.start-ok',
  'connection.secure-ok',
  'connection.tune-ok',
  'connection.close-ok',
  'channel.close-ok',
  'channel.flow-ok',
]);

/** Server methods that start an exchange of their own (not a reply to a client request). */
export const SERVER_UNSOLICITED = new Set([
  'connection.start',
  'connection.secure',
  'connection.tune',
  'connection.blocked',
  'connection.unblocked',
  'channel.flow',
  'basic.deliver',
  'basic.return',
  'basic.ack',
  'basic.nack',
]);

/** Reply codes (spec "constants"): 200 ok; soft 3xx/4xx and 530 are the client's fault. */
export function replyStatus(code: number): 'ok' | 'client_error' | 'server_error' {
  if (code === 200 || code === 0) return 'ok';
  if (code === 320 || (code >= 500 && code !== 530)) return 'server_error';
  return 'client_error';
}
