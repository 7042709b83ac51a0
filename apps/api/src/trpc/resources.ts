/**
 * The resource inventory for the UI (PRODUCT.md §2.9 "Resources: inventory of hosts,
 * processes, containers, K8s objects with their tags"), read from the resource store
 * (apps/api/src/resources: Prisma over MySQL or SQLite).
 */
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '../resources/db';
import { protectedProcedure, router } from './init';
import {
  containerRow,
  hostRow,
  type InventoryRow,
  matchRows,
  namespaceRow,
  nodeRow,
  podRow,
  processRow,
  RESOURCE_KINDS,
  type ResourceKind,
  serviceRow,
  workloadRow,
} from './resourcesShape';

/** Rows read per kind before the text filter; the inventory of one cluster fits. */
const READ_LIMIT = 5000;

const listInput = z.object({
  kind: z.enum(RESOURCE_KINDS),
  search: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(2000).default(500),
});

const recentFirst = { lastSeen: 'desc' } as const;

async function read(db: Db, kind: ResourceKind): Promise<InventoryRow[]> {
  const take = READ_LIMIT;
  switch (kind) {
    case 'host':
      return (await db.host.findMany({ take, orderBy: recentFirst })).map(hostRow);
    case 'process':
      return (
        await db.process.findMany({
          take,
          orderBy: recentFirst,
          include: { host: { select: { hostname: true } } },
        })
      ).map(processRow);
    case 'container':
      return (
        await db.container.findMany({
          take,
          orderBy: recentFirst,
          include: { host: { select: { hostname: true } } },
        })
      ).map(containerRow);
    case 'pod':
      return (
        await db.k8sPod.findMany({
          take,
          orderBy: recentFirst,
          include: {
            namespace: { select: { name: true } },
            node: { select: { name: true } },
            workload: { select: { kind: true, name: true } },
          },
        })
      ).map(podRow);
    case 'workload':
      return (
        await db.k8sWorkload.findMany({
          take,
          orderBy: recentFirst,
          include: { namespace: { select: { name: true } }, _count: { select: { pods: true } } },
        })
      ).map(workloadRow);
    case 'service':
      return (
        await db.k8sService.findMany({
          take,
          orderBy: recentFirst,
          include: { namespace: { select: { name: true } } },
        })
      ).map(serviceRow);
    case 'namespace':
      return (
        await db.k8sNamespace.findMany({
          take,
          orderBy: recentFirst,
          include: { cluster: { select: { name: true } }, _count: { select: { pods: true } } },
        })
      ).map(namespaceRow);
    case 'node':
      return (
        await db.k8sNode.findMany({
          take,
          orderBy: recentFirst,
          include: { cluster: { select: { name: true } }, host: { select: { hostname: true } } },
        })
      ).map(nodeRow);
  }
}

async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (cause) {
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'resource store query failed', cause });
  }
}

export const resourcesRouter = router({
  /** How many of each kind the store holds (the view's tabs). */
  counts: protectedProcedure.query(({ ctx }) =>
    guarded(async () => {
      const db = ctx.api.resources.db;
      const [host, process, container, pod, workload, service, namespace, node] = await Promise.all([
        db.host.count(),
        db.process.count({ where: { exitedAt: null } }),
        db.container.count(),
        db.k8sPod.count({ where: { deletedAt: null } }),
        db.k8sWorkload.count(),
        db.k8sService.count(),
        db.k8sNamespace.count(),
        db.k8sNode.count(),
      ]);
      return { host, process, container, pod, workload, service, namespace, node } satisfies Record<
        ResourceKind,
        number
      >;
    }),
  ),

  list: protectedProcedure.input(listInput).query(({ ctx, input }) =>
    guarded(async () => {
      const all = matchRows(await read(ctx.api.resources.db, input.kind), input.search ?? '');
      return { total: all.length, rows: all.slice(0, input.limit) };
    }),
  ),
});
