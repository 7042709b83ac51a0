/** Agent registration and central config (PRODUCT.md §2.1 "central control"). */
import type { Agent, Db, Prisma } from './db';
import { ResourceError } from './errors';

export interface AgentHello {
  /** stable id the agent keeps on disk */
  id: string;
  hostname: string;
  version: string;
  hostId?: number | null;
}

/** Records an agent's hello: creates it with an empty config on first contact, else refreshes lastSeen. */
export async function upsertAgent(db: Db, hello: AgentHello): Promise<Agent> {
  if (!hello.id || hello.id.length > 191) throw new ResourceError('invalid', 'agent id must be 1..191 chars');
  const now = new Date();
  return db.agent.upsert({
    where: { id: hello.id },
    create: {
      id: hello.id,
      hostname: hello.hostname,
      version: hello.version,
      lastSeen: now,
      config: {},
      configVersion: 0,
      hostId: hello.hostId ?? null,
    },
    update: {
      hostname: hello.hostname,
      version: hello.version,
      lastSeen: now,
      ...(hello.hostId !== undefined ? { hostId: hello.hostId } : {}),
    },
  });
}

/** Replaces an agent's desired config and bumps configVersion, so the link can push it. */
export async function setAgentConfig(db: Db, id: string, config: Prisma.InputJsonObject): Promise<Agent> {
  try {
    return await db.agent.update({
      where: { id },
      data: { config, configVersion: { increment: 1 } },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2025')
      throw new ResourceError('not_found', `no agent with id '${id}'`, { cause: err });
    throw err;
  }
}
