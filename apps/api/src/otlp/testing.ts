/** Builders of OTLP protobuf payloads for tests and fuzz seeds (the decoders are the code under test). */
import { ProtoWriter } from './proto-writer';

export { ProtoWriter };

const pw = () => new ProtoWriter();

export const kv = (key: string, value: string) => pw().string(1, key).message(2, pw().string(1, value));

/** A resource with service.name and one scope holding `items` at field 2 of the scope message. */
export function envelope(service: string, items: ProtoWriter[]): Uint8Array {
  const scope = pw().message(1, pw().string(1, 'test-scope'));
  for (const it of items) scope.message(2, it);
  const rs = pw()
    .message(1, pw().message(1, kv('service.name', service)).message(1, kv('k8s.pod.name', 'cart-1')))
    .message(2, scope);
  return pw().message(1, rs).finish();
}

export function span(o: {
  trace: string;
  span: string;
  parent?: string;
  name: string;
  kind: number;
  startNs: number;
  endNs: number;
}): ProtoWriter {
  const s = pw()
    .bytes(1, Buffer.from(o.trace, 'hex'))
    .bytes(2, Buffer.from(o.span, 'hex'))
    .string(5, o.name)
    .uint(6, o.kind)
    .fixed64(7, o.startNs)
    .fixed64(8, o.endNs)
    .message(9, kv('http.request.method', 'GET'))
    .message(9, pw().string(1, 'http.response.status_code').message(2, pw().uint(3, 503)))
    .message(15, pw().string(2, 'upstream failed').uint(3, 2));
  if (o.parent) s.bytes(4, Buffer.from(o.parent, 'hex'));
  return s;
}

/** A histogram metric with bounds [0.1, 1] and bucket counts [1, 2, 3] plus a monotonic sum. */
export function metrics(timeNs: number): Uint8Array {
  const point = pw()
    .message(9, kv('route', '/a'))
    .fixed64(3, timeNs)
    .fixed64(4, 6)
    .double(5, 7.5)
    .bytes(
      6,
      Buffer.concat(
        [1, 2, 3].map((n) => {
          const b = Buffer.alloc(8);
          b.writeBigUInt64LE(BigInt(n));
          return b;
        }),
      ),
    )
    .bytes(
      7,
      Buffer.concat(
        [0.1, 1].map((n) => {
          const b = Buffer.alloc(8);
          b.writeDoubleLE(n);
          return b;
        }),
      ),
    );
  const hist = pw().string(1, 'http.server.duration').message(9, pw().message(1, point).uint(2, 2));
  const sum = pw()
    .string(1, 'http.requests')
    .message(
      7,
      pw()
        .message(1, pw().message(7, kv('route', '/a')).fixed64(3, timeNs).double(4, 42))
        .uint(2, 2)
        .uint(3, 1),
    );
  return envelope('shop', [hist, sum]);
}

export function logs(timeNs: number, trace: string): Uint8Array {
  const rec = pw()
    .fixed64(1, timeNs)
    .uint(2, 17)
    .string(3, 'ERROR')
    .message(5, pw().string(1, 'payment declined'))
    .message(6, kv('order', '42'))
    .bytes(9, Buffer.from(trace, 'hex'));
  return envelope('shop', [rec]);
}
