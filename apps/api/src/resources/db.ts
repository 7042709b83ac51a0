/**
 * The Prisma client type every part of the API uses, and the model types.
 * Both generated clients (MySQL, SQLite) come from one schema and share this API; the MySQL
 * client's type is the declared one because its surface is the smaller of the two (e.g. no
 * createManyAndReturn), so code written against it runs on both. Avoid `skipDuplicates`
 * (unsupported on SQLite) and case-insensitive `mode` filters (neither dialect has them).
 */
import type { PrismaClient } from '../../generated/prisma/mysql/client';

export type Db = PrismaClient;
export type {
  Agent,
  AlertRule,
  ApiToken,
  Container,
  Host,
  K8sCluster,
  K8sNamespace,
  K8sNode,
  K8sPod,
  K8sService,
  K8sWorkload,
  NetInterface,
  NotificationChannel,
  Prisma,
  Process,
  Session,
  SharedLink,
  Silence,
  User,
} from '../../generated/prisma/mysql/client';
