import { describe, expect, it } from 'vitest';
import {
  decodeAgentFrame,
  decodeServerFrame,
  encodeBatchFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  ProtocolError,
} from './protocol';

describe('agent link frames', () => {
  it('round-trips a batch frame with a large batch id', () => {
    const payload = new Uint8Array([0x5a, 0x53, 1, 2, 3]);
    const res = decodeAgentFrame(encodeBatchFrame('flow_log', 2 ** 40 + 7, payload), true);
    expect(res.ok && res.frame).toEqual({ type: 'batch', kind: 'flow_log', batchId: 2 ** 40 + 7, payload });
  });

  it('round-trips hello and server frames', () => {
    const hello = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      agentKey: 'n1',
      hostname: 'n1',
      version: '1',
      epoch: 5,
    };
    const h = decodeAgentFrame(encodeFrame(hello as never), false);
    expect(h.ok && h.frame).toEqual(hello);
    const ack = decodeServerFrame(encodeFrame({ type: 'ack', batchId: 9 }));
    expect(ack.ok && ack.frame).toEqual({ type: 'ack', batchId: 9 });
    const cfg = decodeServerFrame(JSON.stringify({ type: 'config', config: { version: 3, sampling: 0.1 } }));
    expect(cfg.ok && cfg.frame.type === 'config' && cfg.frame.config).toMatchObject({
      version: 3,
      sampling: 0.1,
      payloadSize: 1024,
    });
  });

  it('rejects garbage with a ProtocolError code, never a throw', () => {
    const bad: [Uint8Array | string, boolean, string][] = [
      [new Uint8Array([]), true, 'bad_frame'],
      [new Uint8Array([0xff, 1, 1]), true, 'bad_frame'],
      [new Uint8Array([1, 99, 1]), true, 'bad_frame'],
      [new Uint8Array([1, 1, 0xff, 0xff]), true, 'bad_frame'],
      ['{"type":"hello"', false, 'bad_json'],
      ['[1,2]', false, 'bad_json'],
      ['{"type":"batch"}', false, 'unknown_type'],
      [
        JSON.stringify({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          agentKey: '',
          hostname: 'h',
          version: '',
          epoch: 1,
        }),
        false,
        'bad_field',
      ],
      [
        JSON.stringify({ type: 'hello', protocol: 99, agentKey: 'a', hostname: 'h', version: '', epoch: 1 }),
        false,
        'bad_field',
      ],
    ];
    for (const [data, binary, code] of bad) {
      const r = decodeAgentFrame(data, binary);
      expect(r.ok, String(data)).toBe(false);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(ProtocolError);
        expect(r.error.code, String(data)).toBe(code);
      }
    }
    expect(decodeServerFrame('{"type":"ack","batchId":-1}').ok).toBe(false);
  });
});
