/**
 * Frames on the agent <-> API WebSocket (/v1/agent). Control frames are JSON text
 * messages; batches are binary: 0x01, kind byte, batchId varint, codec payload.
 * A batchId is unique per agent epoch (one run of the agent process) and increases
 * monotonically; the API acks it only after the rows are durably written.
 */
import { ByteReader, ByteWriter } from './codec-io';
import { type Column, FLOW_LOG_COLUMNS, REQUEST_LOG_COLUMNS } from './columns';
import { METRIC_COLUMNS, METRIC_KINDS, type MetricKind, metricTableOf } from './metrics';
import { PROFILE_COLUMNS } from './profile';
import { checkResourcesFrame, RESOURCE_LIMITS, type ResourcesFrame } from './resources';

export type { ResourcesFrame } from './resources';

export const PROTOCOL_VERSION = 1;
export const AGENT_PATH = '/v1/agent';

export type BatchKind = 'request_log' | 'flow_log' | MetricKind | 'profile';
/**
 * Wire byte of each kind; never renumber (3.. are the metric tables in METRIC_KINDS order;
 * fixed kinds after them start at 64 so metric kinds can grow).
 */
const KIND_BYTES = {
  request_log: 1,
  flow_log: 2,
  ...Object.fromEntries(METRIC_KINDS.map((k, i) => [k, 3 + i])),
  profile: 64,
} as Record<BatchKind, number>;
const KIND_OF_BYTE = new Map(Object.entries(KIND_BYTES).map(([k, b]) => [b, k as BatchKind]));
export const BATCH_KINDS = [...KIND_OF_BYTE.values()] as readonly BatchKind[];

/** The column list a batch of this kind is encoded with. */
export function batchColumns(kind: BatchKind): readonly Column[] {
  if (kind === 'request_log') return REQUEST_LOG_COLUMNS;
  if (kind === 'flow_log') return FLOW_LOG_COLUMNS;
  if (kind === 'profile') return PROFILE_COLUMNS;
  return METRIC_COLUMNS[metricTableOf(kind)];
}
const FRAME_BATCH = 0x01;

/** Close codes the API uses (RFC 6455 §7.4 plus the 4000-4999 private range). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  invalidPayload: 1007,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
  badFrame: 4400,
  unauthorized: 4401,
  replaced: 4409,
} as const;

export interface AgentConfig {
  version: number;
  /** bytes of L7 payload captured per syscall */
  payloadSize: number;
  /** enabled L7 protocols; empty means all */
  protocols: string[];
  /** fraction of request logs kept, 0..1 */
  sampling: number;
  profiling: boolean;
  portFilter: number[];
  processFilter: string[];
}

export interface HelloFrame {
  type: 'hello';
  protocol: number;
  /** stable identity of the node (defaults to the hostname) */
  agentKey: string;
  hostname: string;
  version: string;
  /** distinguishes runs of the agent process; batch ids restart per epoch */
  epoch: number;
}

export interface BatchFrame {
  type: 'batch';
  kind: BatchKind;
  batchId: number;
  payload: Uint8Array;
}

export type AgentFrame = HelloFrame | BatchFrame;

export type ServerFrame =
  | { type: 'welcome'; agentId: number; epoch: number }
  | { type: 'ack'; batchId: number }
  | { type: 'config'; config: AgentConfig }
  | { type: 'error'; code: string; message: string };

export class ProtocolError extends Error {
  constructor(
    readonly code: 'bad_frame' | 'bad_json' | 'unknown_type' | 'bad_field',
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export type FrameResult<T> = { ok: true; frame: T } | { ok: false; error: ProtocolError };

const fail = <T>(code: ProtocolError['code'], msg: string): FrameResult<T> => ({
  ok: false,
  error: new ProtocolError(code, msg),
});

export function encodeBatchFrame(kind: BatchKind, batchId: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter(payload.length + 12);
  w.u8(FRAME_BATCH);
  w.u8(KIND_BYTES[kind]);
  w.varint(batchId);
  w.bytes(payload);
  return w.finish();
}

export function encodeFrame(frame: HelloFrame | ResourcesFrame | ServerFrame): string {
  return JSON.stringify(frame);
}

function parseJson(text: string): FrameResult<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail('bad_json', 'control frame is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return fail('bad_json', 'control frame is not an object');
  return { ok: true, frame: v as Record<string, unknown> };
}

const isStr = (v: unknown, max = 256): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export interface DecodeAgentOptions {
  /** accept `resources` control frames (./resources); refused as unknown_type otherwise */
  resources?: boolean;
}

/** Parses what an agent sends: binary batch frames, a JSON hello, and (opt-in) resources. */
export function decodeAgentFrame(data: Uint8Array | string, isBinary: boolean): FrameResult<AgentFrame>;
export function decodeAgentFrame(
  data: Uint8Array | string,
  isBinary: boolean,
  opts: DecodeAgentOptions,
): FrameResult<AgentFrame | ResourcesFrame>;
export function decodeAgentFrame(
  data: Uint8Array | string,
  isBinary: boolean,
  opts: DecodeAgentOptions = {},
): FrameResult<AgentFrame | ResourcesFrame> {
  if (isBinary && typeof data !== 'string') {
    if (data.length < 3 || data[0] !== FRAME_BATCH) return fail('bad_frame', 'binary frame is not a batch');
    const kind = KIND_OF_BYTE.get(data[1]!);
    if (!kind) return fail('bad_frame', `unknown batch kind ${data[1]}`);
    const r = new ByteReader(data, 2);
    let batchId: number;
    try {
      batchId = r.varint();
    } catch {
      return fail('bad_frame', 'truncated batch id');
    }
    return { ok: true, frame: { type: 'batch', kind, batchId, payload: data.subarray(r.pos) } };
  }
  if (data.length > RESOURCE_LIMITS.frameBytes)
    return fail('bad_frame', `control frame larger than ${RESOURCE_LIMITS.frameBytes} bytes`);
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const o = parsed.frame;
  if (o.type === 'resources' && opts.resources) {
    const err = checkResourcesFrame(o);
    if (err) return fail('bad_field', `resources: ${err}`);
    return { ok: true, frame: o as unknown as ResourcesFrame };
  }
  if (o.type !== 'hello') return fail('unknown_type', `unexpected control frame type ${String(o.type)}`);
  if (!isStr(o.agentKey) || !isStr(o.hostname) || typeof o.version !== 'string' || !isUint(o.epoch))
    return fail('bad_field', 'hello needs agentKey, hostname, version and a non-negative integer epoch');
  if (o.protocol !== PROTOCOL_VERSION)
    return fail('bad_field', `unsupported protocol version ${String(o.protocol)}`);
  return {
    ok: true,
    frame: {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      agentKey: o.agentKey,
      hostname: o.hostname,
      version: o.version.slice(0, 64),
      epoch: o.epoch,
    },
  };
}

/** Parses what the API sends to an agent. */
export function decodeServerFrame(text: string): FrameResult<ServerFrame> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const o = parsed.frame;
  switch (o.type) {
    case 'welcome':
      if (!isUint(o.agentId) || !isUint(o.epoch)) return fail('bad_field', 'welcome needs agentId and epoch');
      return { ok: true, frame: { type: 'welcome', agentId: o.agentId, epoch: o.epoch } };
    case 'ack':
      if (!isUint(o.batchId)) return fail('bad_field', 'ack needs batchId');
      return { ok: true, frame: { type: 'ack', batchId: o.batchId } };
    case 'config': {
      const c = o.config as Partial<AgentConfig> | undefined;
      if (!c || typeof c !== 'object' || !isUint(c.version))
        return fail('bad_field', 'config needs a version');
      return {
        ok: true,
        frame: { type: 'config', config: { ...defaultAgentConfig(), ...c } as AgentConfig },
      };
    }
    case 'error':
      return { ok: true, frame: { type: 'error', code: String(o.code), message: String(o.message) } };
    default:
      return fail('unknown_type', `unexpected frame type ${String(o.type)}`);
  }
}

export function defaultAgentConfig(): AgentConfig {
  return {
    version: 0,
    payloadSize: 1024,
    protocols: [],
    sampling: 1,
    profiling: true,
    portFilter: [],
    processFilter: [],
  };
}
