/**
 * What record.ts does against real peers on loopback, shared with captures.test.ts so the
 * assertions are written from the very commands that produced each capture.
 */

export const PORTS = { http1: 18081, http2: 18082, tls: 18443, dns: 15353 } as const;

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
export const B3 = '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90';
const b64 = (s: string) => Buffer.from(s).toString('base64');
export const SW8 = `1-${b64('trace-abc.1.2')}-${b64('segment-xyz')}-3-${b64('svc')}-${b64('inst')}-${b64('/ep')}-${b64('127.0.0.1:18081')}`;

export interface CurlCall {
  args: string[];
  /** one entry per HTTP request the call makes, in order */
  expect: {
    method: string;
    resource: string;
    code: number;
    xrid0?: string;
    xrid1?: string;
    trace?: string;
  }[];
}

const base = `http://127.0.0.1:${PORTS.http1}`;

export const HTTP1_CALLS: CurlCall[] = [
  {
    args: [`${base}/hello?name=zs`, '-H', 'X-Request-ID: req-1', '-H', `traceparent: ${TRACEPARENT}`],
    expect: [
      {
        method: 'GET',
        resource: '/hello?name=zs',
        code: 200,
        xrid0: 'req-1',
        xrid1: 'req-1',
        trace: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
    ],
  },
  {
    args: ['-X', 'POST', '--data', 'a=1&b=2', `${base}/submit`, '-H', `b3: ${B3}`],
    expect: [{ method: 'POST', resource: '/submit', code: 201, trace: '80f198ee56343ba864fe8b2a57d3eff7' }],
  },
  { args: [`${base}/missing`], expect: [{ method: 'GET', resource: '/missing', code: 404 }] },
  {
    args: [`${base}/boom`, '-H', `sw8: ${SW8}`],
    expect: [{ method: 'GET', resource: '/boom', code: 500, trace: 'trace-abc.1.2' }],
  },
  {
    // one curl, one keep-alive connection, three requests (the middle one chunked)
    args: [`${base}/a`, `${base}/chunked`, `${base}/b`],
    expect: [
      { method: 'GET', resource: '/a', code: 200 },
      { method: 'GET', resource: '/chunked', code: 200 },
      { method: 'GET', resource: '/b', code: 200 },
    ],
  },
  { args: ['-I', `${base}/head`], expect: [{ method: 'HEAD', resource: '/head', code: 200 }] },
  // the server never answers: the client gives up after 1 s and closes
  { args: ['--max-time', '1', `${base}/hang`], expect: [{ method: 'GET', resource: '/hang', code: 0 }] },
];

export interface H2Call {
  method: string;
  path: string;
  grpc?: { status: number; message?: string };
  status: number;
}

export const HTTP2_CALLS: H2Call[] = [
  { method: 'GET', path: '/h2/one?x=1', status: 200 },
  { method: 'POST', path: '/h2/two', status: 201 },
  { method: 'GET', path: '/h2/missing', status: 404 },
  { method: 'POST', path: '/demo.Greeter/SayHello', status: 200, grpc: { status: 0 } },
  {
    method: 'POST',
    path: '/demo.Greeter/Fail',
    status: 200,
    grpc: { status: 5, message: 'no such greeting' },
  },
  { method: 'POST', path: '/demo.Greeter/Crash', status: 200, grpc: { status: 13, message: 'internal' } },
];

export const TLS_HOST = 'tls.zeroscope.test';
export const TLS_CALLS = [
  { args: ['--tlsv1.3'], version: '1.3' },
  { args: ['--tls-max', '1.2'], version: '1.2' },
];

export interface DigCall {
  args: string[];
  name: string;
  qtype: string;
  rcode: number;
  result?: string;
  tcp?: boolean;
}

export const DNS_ADDRESS = '10.9.8.7';
export const DIG_CALLS: DigCall[] = [
  {
    args: ['svc.zeroscope.test', 'A'],
    name: 'svc.zeroscope.test',
    qtype: 'A',
    rcode: 0,
    result: `A=${DNS_ADDRESS}`,
  },
  // dnsmasq --local answers names it has no record of that type with NXDOMAIN
  { args: ['svc.zeroscope.test', 'AAAA'], name: 'svc.zeroscope.test', qtype: 'AAAA', rcode: 3 },
  { args: ['missing.zeroscope.test', 'A'], name: 'missing.zeroscope.test', qtype: 'A', rcode: 3 },
  {
    args: ['+tcp', 'svc.zeroscope.test', 'A'],
    name: 'svc.zeroscope.test',
    qtype: 'A',
    rcode: 0,
    result: `A=${DNS_ADDRESS}`,
    tcp: true,
  },
];
