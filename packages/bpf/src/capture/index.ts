export type { CaptureConfig } from './config';
export { MAX_PAYLOAD } from './config';
export type { CaptureEvent, DataEvent, ExecEvent, SockSide, SockTuple, TcpEvent } from './events';
export { formatIp, PROTOCOLS, TCP_STATES } from './events';
export { parseListenPorts } from './listen';
export type { CaptureFeature, CaptureOptions, CaptureStats } from './program';
export { Capture } from './program';
export { DEFAULT_TLS_TARGETS } from './tls';
