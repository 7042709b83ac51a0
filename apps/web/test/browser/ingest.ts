/**
 * Puts a known set of request logs into the running API the way an agent does: over the
 * /v1/agent WebSocket with the agent token (hello -> welcome, batch -> ack after the durable
 * write), using the shared wire codec and frames.
 */
import { encodeBatch } from '@zeroscope/wire/codec';
import { REQUEST_LOG_COLUMNS } from '@zeroscope/wire/columns';
import {
  AGENT_PATH,
  decodeServerFrame,
  encodeBatchFrame,
  encodeFrame,
  PROTOCOL_VERSION,
} from '@zeroscope/wire/protocol';
import { emptyRequestLog, type RequestLog } from '@zeroscope/wire/records';
import WebSocket from 'ws';
import type { Stack } from './stack';

export const SCENARIO = {
  total: 39,
  mysql: 5,
  serverErrors: 5,
  searchTerm: 'refund',
  newestResource: '/shop/refund/ZS-42',
} as const;

/** 30 catalogue reads, 3 failing checkouts, 5 MySQL queries (2 failing), then one refund, newest. */
export function scenarioRecords(nowUs: number): RequestLog[] {
  const base = nowUs - 60_000_000;
  const http = (i: number, over: Partial<RequestLog>): RequestLog => ({
    ...emptyRequestLog(),
    start_time: base + i * 1_000_000,
    end_time: base + i * 1_000_000 + 4_000,
    response_duration: 4_000,
    l7_protocol: 'http1',
    version: '1.1',
    request_type: 'GET',
    request_domain: 'shop.local',
    request_resource: `/shop/item/${i}`,
    endpoint: '/shop/item',
    response_status: 'ok',
    response_code: 200,
    ip_0: '127.0.0.1',
    ip_1: '127.0.0.1',
    client_port: 50_000 + i,
    server_port: 8080,
    flow_id: 7_000 + i,
    observation_point: 's-p',
    signal_source: 'ebpf',
    process_kname_1: 'node',
    ...over,
  });
  const out: RequestLog[] = [];
  for (let i = 0; i < 30; i++) out.push(http(i, {}));
  for (let i = 30; i < 33; i++)
    out.push(
      http(i, {
        request_type: 'POST',
        request_resource: `/shop/checkout?cart=${i}`,
        endpoint: '/shop/checkout',
        response_status: 'server_error',
        response_code: 503,
        response_exception: 'Service Unavailable',
      }),
    );
  for (let i = 33; i < 38; i++)
    out.push(
      http(i, {
        l7_protocol: 'mysql',
        version: '10',
        request_type: 'QUERY',
        request_domain: '',
        request_resource: `SELECT * FROM orders WHERE id = ${i}`,
        endpoint: '',
        response_status: i < 35 ? 'server_error' : 'ok',
        response_code: i < 35 ? 1146 : 0,
        server_port: 3306,
        process_kname_1: 'mariadbd',
      }),
    );
  out.push(
    http(38, { request_type: 'POST', request_resource: SCENARIO.newestResource, endpoint: '/shop/refund' }),
  );
  return out;
}

export function ingestScenario(stack: Stack): Promise<void> {
  return sendRequestLogs(stack, scenarioRecords(Date.now() * 1000));
}

/** One agent connection that sends `records` as one batch and returns once the API acked it. */
export async function sendRequestLogs(stack: Stack, records: RequestLog[]): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${stack.apiPort}${AGENT_PATH}`, {
    headers: { authorization: `Bearer ${stack.agentToken}` },
  });
  const frames: string[] = [];
  const waitFor = (type: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${type} from the API; got ${frames.join(' ')}`)),
        20_000,
      );
      const check = () => {
        if (frames.some((f) => decodeServerFrame(f).ok && JSON.parse(f).type === type)) {
          clearTimeout(timer);
          resolve();
        } else if (ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`agent link closed before ${type}: ${frames.join(' ')}`));
        } else setTimeout(check, 20);
      };
      check();
    });
  ws.on('message', (data) => frames.push(data.toString()));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(
    encodeFrame({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      agentKey: 'browser-test',
      hostname: 'browser-test',
      version: 'test',
      epoch: Date.now(),
    }),
  );
  await waitFor('welcome');
  const payload = encodeBatch(REQUEST_LOG_COLUMNS, records as unknown as Record<string, unknown>[]);
  ws.send(encodeBatchFrame('request_log', 1, payload));
  await waitFor('ack');
  ws.close();
}
