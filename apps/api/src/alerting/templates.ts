/**
 * Built-in rule templates (PRODUCT.md §2.10): RED per service, instance, endpoint and edge,
 * TCP health, DNS and datastore errors, agent liveness, throughput saturation. Each one is a
 * complete RuleSpec minus channels; templates.test.ts compiles every query.
 */
import type { Condition, RuleSpec, Severity } from './types';

export interface Template {
  id: string;
  category: 'service' | 'endpoint' | 'edge' | 'network' | 'dns' | 'datastore' | 'protocol' | 'agent';
  title: string;
  spec: Omit<RuleSpec, 'channelIds' | 'enabled'>;
}

const above = (threshold: number): Condition => ({ op: '>', threshold, noData: 'ok' });

function t(
  id: string,
  category: Template['category'],
  title: string,
  query: string,
  condition: Condition,
  o: {
    severity?: Severity;
    forSeconds?: number;
    windowSeconds?: number;
    summary: string;
    groupBy?: string[];
  },
): Template {
  return {
    id,
    category,
    title,
    spec: {
      name: title,
      description: o.summary,
      query,
      condition,
      forSeconds: o.forSeconds ?? 120,
      windowSeconds: o.windowSeconds ?? 300,
      repeatSeconds: 3600,
      severity: o.severity ?? 'warning',
      labels: { template: id },
      annotations: { summary: o.summary },
      groupBy: o.groupBy ?? [],
      template: id,
    },
  };
}

const APP = 'application.1m';
const EDGE = 'application_map.1m';
const NET = 'network.1m';
const NET_EDGE = 'network_map.1m';
const byService = (metric: string, table = APP) =>
  `SELECT auto_service, ${metric} FROM ${table} GROUP BY auto_service`;
const byInstance = (metric: string) =>
  `SELECT auto_service, auto_instance, ${metric} FROM ${APP} GROUP BY auto_service, auto_instance`;
const byEndpoint = (metric: string) =>
  `SELECT auto_service, endpoint, ${metric} FROM ${APP} WHERE endpoint != '' GROUP BY auto_service, endpoint`;
const byEdge = (metric: string, table = EDGE) =>
  `SELECT auto_service_0, auto_service_1, ${metric} FROM ${table} GROUP BY auto_service_0, auto_service_1`;
const protocolErrors = (proto: string) =>
  `SELECT auto_service_1, error_ratio FROM l7_flow_log WHERE l7_protocol = '${proto}' GROUP BY auto_service_1`;
const protocolP99 = (proto: string) =>
  `SELECT auto_service_1, Percentile(response_duration, 99) AS p99 FROM l7_flow_log WHERE l7_protocol = '${proto}' GROUP BY auto_service_1`;

export const TEMPLATES: readonly Template[] = [
  t('service-error-rate', 'service', 'Service error rate', byService('error_ratio'), above(0.05), {
    severity: 'critical',
    summary: 'More than 5% of requests to the service fail',
  }),
  t(
    'service-server-error-rate',
    'service',
    'Service 5xx rate',
    byService('server_error_ratio'),
    above(0.02),
    {
      severity: 'critical',
      summary: 'More than 2% of requests end in a server error',
    },
  ),
  t('service-client-error-rate', 'service', 'Service 4xx rate', byService('client_error_ratio'), above(0.2), {
    summary: 'More than 20% of requests end in a client error',
  }),
  t('service-timeout-rate', 'service', 'Service timeouts', byService('timeout_ratio'), above(0.01), {
    severity: 'critical',
    summary: 'More than 1% of requests get no response',
  }),
  t(
    'service-latency-p99',
    'service',
    'Service p99 latency',
    byService('response_duration_p99'),
    above(1_000_000),
    {
      summary: 'p99 response time above 1 s',
    },
  ),
  t(
    'service-latency-p90',
    'service',
    'Service p90 latency',
    byService('response_duration_p90'),
    above(500_000),
    {
      summary: 'p90 response time above 500 ms',
    },
  ),
  t(
    'service-latency-avg',
    'service',
    'Service average latency',
    byService('response_duration'),
    above(200_000),
    {
      summary: 'Average response time above 200 ms',
    },
  ),
  t(
    'service-latency-max',
    'service',
    'Service slowest request',
    byService('response_duration_max'),
    above(10_000_000),
    {
      severity: 'info',
      summary: 'A request took longer than 10 s',
    },
  ),
  t(
    'service-traffic-stopped',
    'service',
    'Service stopped receiving traffic',
    byService('request'),
    {
      op: '<',
      threshold: 1,
      noData: 'alerting',
    },
    { severity: 'critical', forSeconds: 300, summary: 'A service that had traffic has none' },
  ),
  t(
    'service-traffic-saturation',
    'service',
    'Service request saturation',
    byService('request'),
    above(600_000),
    {
      summary: 'More than 2,000 requests/s over 5 minutes: near capacity',
    },
  ),
  t(
    'service-bytes-saturation',
    'service',
    'Service response bandwidth',
    byService('response_length'),
    above(30_000_000_000),
    {
      summary: 'More than 100 MB/s of responses over 5 minutes',
    },
  ),
  t('instance-error-rate', 'service', 'Instance error rate', byInstance('error_ratio'), above(0.05), {
    summary: 'One instance fails more than 5% of its requests',
    groupBy: ['auto_service'],
  }),
  t(
    'instance-latency-p99',
    'service',
    'Instance p99 latency',
    byInstance('response_duration_p99'),
    above(1_000_000),
    {
      summary: 'One instance answers its p99 slower than 1 s',
      groupBy: ['auto_service'],
    },
  ),
  t('endpoint-error-rate', 'endpoint', 'Endpoint error rate', byEndpoint('error_ratio'), above(0.1), {
    summary: 'An endpoint fails more than 10% of its requests',
    groupBy: ['auto_service'],
  }),
  t('endpoint-server-errors', 'endpoint', 'Endpoint server errors', byEndpoint('server_error'), above(10), {
    summary: 'An endpoint returned more than 10 server errors in 5 minutes',
    groupBy: ['auto_service'],
  }),
  t(
    'endpoint-latency-p99',
    'endpoint',
    'Endpoint p99 latency',
    byEndpoint('response_duration_p99'),
    above(2_000_000),
    {
      summary: 'An endpoint answers its p99 slower than 2 s',
      groupBy: ['auto_service'],
    },
  ),
  t('edge-error-rate', 'edge', 'Dependency error rate', byEdge('error_ratio'), above(0.05), {
    summary: 'Calls from one service to another fail more than 5%',
    groupBy: ['auto_service_0'],
  }),
  t('edge-latency-p99', 'edge', 'Dependency p99 latency', byEdge('response_duration_p99'), above(1_000_000), {
    summary: 'Calls from one service to another take longer than 1 s at p99',
    groupBy: ['auto_service_0'],
  }),
  t('edge-timeouts', 'edge', 'Dependency timeouts', byEdge('timeout_ratio'), above(0.01), {
    severity: 'critical',
    summary: 'Calls to a dependency get no answer',
    groupBy: ['auto_service_0'],
  }),
  t(
    'tcp-retransmission-ratio',
    'network',
    'TCP retransmissions',
    byService('retrans_ratio', NET),
    above(0.02),
    {
      summary: 'More than 2% of packets are retransmitted',
    },
  ),
  t(
    'tcp-retransmission-count',
    'network',
    'TCP retransmission burst',
    byService('retrans', NET),
    above(1000),
    {
      severity: 'info',
      summary: 'More than 1,000 retransmitted packets in 5 minutes',
    },
  ),
  t(
    'edge-retransmissions',
    'network',
    'Path retransmissions',
    byEdge('retrans_ratio', NET_EDGE),
    above(0.02),
    {
      summary: 'Retransmissions between two services above 2%',
    },
  ),
  t('connection-failures', 'network', 'Connection failures', byService('conn_failed', NET), above(5), {
    severity: 'critical',
    summary: 'Connections to the service fail the TCP handshake',
  }),
  t(
    'connection-failure-ratio',
    'network',
    'Connection failure ratio',
    byService('conn_failed_ratio', NET),
    above(0.05),
    {
      severity: 'critical',
      summary: 'More than 5% of new connections fail',
    },
  ),
  t(
    'edge-connection-failures',
    'network',
    'Dependency connection failures',
    byEdge('conn_failed', NET_EDGE),
    above(5),
    {
      summary: 'A service cannot connect to a dependency',
    },
  ),
  t('server-resets', 'network', 'Server resets', byService('server_rst', NET), above(20), {
    summary: 'The server reset more than 20 connections',
  }),
  t('client-resets', 'network', 'Client resets', byService('client_rst', NET), above(50), {
    severity: 'info',
    summary: 'Clients reset more than 50 connections',
  }),
  t('tcp-rtt', 'network', 'TCP round-trip time', byService('rtt', NET), above(100_000), {
    summary: 'Average handshake RTT above 100 ms',
  }),
  t(
    'tcp-zero-window',
    'network',
    'Receiver saturated (zero window)',
    byService('zero_win_rx', NET),
    above(10),
    {
      summary: 'The receiver advertised a zero window: it cannot keep up',
    },
  ),
  t(
    'network-bandwidth',
    'network',
    'Network bandwidth saturation',
    byService('byte', NET),
    above(300_000_000_000),
    {
      summary: 'More than 1 GB/s through the service over 5 minutes',
    },
  ),
  t(
    'dns-error-rate',
    'dns',
    'DNS errors',
    `SELECT request_domain, error_ratio FROM l7_flow_log WHERE l7_protocol = 'dns' GROUP BY request_domain`,
    above(0.1),
    {
      summary: 'More than 10% of DNS lookups for a name fail',
    },
  ),
  t(
    'dns-timeouts',
    'dns',
    'DNS timeouts',
    `SELECT Count(row) FROM l7_flow_log WHERE l7_protocol = 'dns' AND response_status = 'timeout'`,
    above(10),
    {
      severity: 'critical',
      summary: 'DNS lookups go unanswered',
    },
  ),
  t('dns-latency', 'dns', 'DNS latency', protocolP99('dns'), above(200_000), {
    summary: 'DNS p99 above 200 ms',
  }),
  t('mysql-errors', 'datastore', 'MySQL errors', protocolErrors('mysql'), above(0.05), {
    summary: 'More than 5% of MySQL statements fail',
  }),
  t('mysql-latency', 'datastore', 'MySQL p99 latency', protocolP99('mysql'), above(500_000), {
    summary: 'MySQL p99 above 500 ms',
  }),
  t('postgresql-errors', 'datastore', 'PostgreSQL errors', protocolErrors('postgresql'), above(0.05), {
    summary: 'More than 5% of PostgreSQL statements fail',
  }),
  t('redis-errors', 'datastore', 'Redis errors', protocolErrors('redis'), above(0.01), {
    summary: 'More than 1% of Redis commands fail',
  }),
  t('redis-latency', 'datastore', 'Redis p99 latency', protocolP99('redis'), above(50_000), {
    summary: 'Redis p99 above 50 ms',
  }),
  t('kafka-errors', 'datastore', 'Kafka errors', protocolErrors('kafka'), above(0.01), {
    summary: 'Kafka requests fail',
  }),
  t('grpc-errors', 'protocol', 'gRPC errors', protocolErrors('grpc'), above(0.05), {
    summary: 'More than 5% of gRPC calls fail',
  }),
  t(
    'http-5xx-burst',
    'protocol',
    'HTTP 5xx burst',
    `SELECT auto_service_1, Count(row) FROM l7_flow_log WHERE l7_protocol IN ('http1', 'http2') AND response_code >= 500 GROUP BY auto_service_1`,
    above(50),
    {
      severity: 'critical',
      summary: 'More than 50 HTTP 5xx responses in 5 minutes',
    },
  ),
  t(
    'mqtt-amqp-errors',
    'protocol',
    'Message broker errors',
    `SELECT l7_protocol, auto_service_1, error_ratio FROM l7_flow_log WHERE l7_protocol IN ('mqtt', 'amqp') GROUP BY l7_protocol, auto_service_1`,
    above(0.05),
    {
      summary: 'MQTT/AMQP operations fail',
    },
  ),
  t('tls-errors', 'protocol', 'TLS handshake errors', protocolErrors('tls'), above(0.05), {
    summary: 'TLS handshakes fail',
  }),
  t(
    'agent-down',
    'agent',
    'Agent down',
    'SELECT agent_id, Count(row) FROM l4_flow_log GROUP BY agent_id',
    {
      op: '<',
      threshold: 1,
      noData: 'alerting',
    },
    { severity: 'critical', forSeconds: 180, summary: 'An agent stopped sending flow logs' },
  ),
  t(
    'agent-no-data',
    'agent',
    'No telemetry at all',
    'SELECT Count(row) FROM l7_flow_log',
    {
      op: '<',
      threshold: 1,
      noData: 'alerting',
    },
    { severity: 'critical', forSeconds: 300, summary: 'No request logs arrived from any agent' },
  ),
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((x) => x.id === id);
}
