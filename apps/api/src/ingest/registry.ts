/**
 * Agent registration: the agent's stable key -> the numeric agent_id stored in every record.
 * The id is a hash of the key so it survives API restarts without a lookup; the agent row
 * (hostname, version, desired config) lives in the resource store.
 */
import { type AgentConfig, defaultAgentConfig, type HelloFrame } from '@zeroscope/wire/protocol';
import type { ApiContext } from '../context';

export function agentNumericId(agentKey: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < agentKey.length; i++) {
    h ^= agentKey.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

export interface Registration {
  agentId: number;
  config: AgentConfig;
  persisted: boolean;
}

export async function registerAgent(ctx: ApiContext, hello: HelloFrame): Promise<Registration> {
  const agentId = agentNumericId(hello.agentKey);
  const upsert = ctx.resources?.upsertAgent;
  if (typeof upsert !== 'function') return { agentId, config: defaultAgentConfig(), persisted: false };
  const row = await upsert.call(ctx.resources, {
    id: hello.agentKey,
    hostname: hello.hostname,
    version: hello.version,
  });
  const stored = (row.config ?? {}) as Partial<AgentConfig>;
  return {
    agentId,
    config: { ...defaultAgentConfig(), ...stored, version: row.configVersion ?? 0 },
    persisted: true,
  };
}
