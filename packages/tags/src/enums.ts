/** Values of the enum tags, typed against the record contract in @zeroscope/wire. */
import type {
  CloseType,
  L4Protocol,
  L7Protocol,
  ObservationPoint,
  ResponseStatus,
  SignalSource,
} from '@zeroscope/wire/records';
import type { EnumValue } from './types';

type Values<T extends string> = readonly { readonly value: T; readonly description: string }[];

export const L7_PROTOCOL_VALUES: Values<L7Protocol> = [
  { value: 'http1', description: 'HTTP/1.x' },
  { value: 'http2', description: 'HTTP/2' },
  { value: 'grpc', description: 'gRPC over HTTP/2' },
  { value: 'mysql', description: 'MySQL' },
  { value: 'postgresql', description: 'PostgreSQL' },
  { value: 'redis', description: 'Redis (RESP)' },
  { value: 'dns', description: 'DNS over UDP or TCP' },
  { value: 'kafka', description: 'Kafka' },
  { value: 'mqtt', description: 'MQTT' },
  { value: 'amqp', description: 'AMQP 0-9-1' },
  { value: 'tls', description: 'TLS handshake' },
  { value: 'unknown', description: 'not identified' },
];

export const RESPONSE_STATUS_VALUES: Values<ResponseStatus> = [
  { value: 'ok', description: 'succeeded' },
  {
    value: 'client_error',
    description: 'failed because of the request (HTTP 4xx, SQL syntax error, NXDOMAIN, ...)',
  },
  { value: 'server_error', description: 'failed in the server (HTTP 5xx, SERVFAIL, ...)' },
  { value: 'timeout', description: 'no response within the session window' },
  { value: 'unknown', description: 'response seen but its status is not known' },
  { value: 'parse_failed', description: 'the response could not be parsed' },
];

export const OBSERVATION_POINT_VALUES: Values<ObservationPoint> = [
  { value: 'c-p', description: 'client process (eBPF syscall hooks in the client)' },
  { value: 's-p', description: 'server process (eBPF syscall hooks in the server)' },
  { value: 'c', description: 'client-side network (packet capture)' },
  { value: 's', description: 'server-side network (packet capture)' },
  { value: 'app', description: 'application span (SDK / OTel)' },
];

export const SIGNAL_SOURCE_VALUES: Values<SignalSource> = [
  { value: 'ebpf', description: 'eBPF hooks' },
  { value: 'packet', description: 'packet capture (cBPF / pcap)' },
  { value: 'otel', description: 'OpenTelemetry ingestion' },
];

export const L4_PROTOCOL_VALUES: Values<L4Protocol> = [
  { value: 'tcp', description: 'TCP' },
  { value: 'udp', description: 'UDP' },
];

export const CLOSE_TYPE_VALUES: Values<CloseType> = [
  { value: 'normal', description: 'FIN from both sides' },
  { value: 'client_rst', description: 'reset by the client' },
  { value: 'server_rst', description: 'reset by the server' },
  { value: 'server_syn_miss', description: 'SYN never answered (connection failed)' },
  { value: 'client_ack_miss', description: 'handshake never completed by the client' },
  { value: 'half_close', description: 'only one side closed' },
  { value: 'timeout', description: 'idle past the flow timeout' },
  { value: 'unknown', description: 'still open or not observed' },
];

export const asEnum = (v: Values<string>): readonly EnumValue[] => v;
