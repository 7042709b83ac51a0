-- 0001_init (SQLite): mirrors prisma/schema.prisma with Prisma's SQLite type mapping
-- (String TEXT, DateTime DATETIME, Json JSONB, Boolean BOOLEAN) and constraint names.

CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

CREATE TABLE "ApiToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revoked" BOOLEAN NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

CREATE TABLE "Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostname" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL,
    "config" JSONB NOT NULL,
    "configVersion" INTEGER NOT NULL DEFAULT 0,
    "hostId" INTEGER,
    CONSTRAINT "Agent_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "Agent_hostId_idx" ON "Agent"("hostId");

CREATE TABLE "Host" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uid" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "os" TEXT,
    "kernel" TEXT,
    "arch" TEXT,
    "labels" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "Host_uid_key" ON "Host"("uid");
CREATE INDEX "Host_hostname_idx" ON "Host"("hostname");

CREATE TABLE "NetInterface" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "mac" TEXT,
    "ips" JSONB NOT NULL,
    "netns" INTEGER,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "NetInterface_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "NetInterface_hostId_name_key" ON "NetInterface"("hostId", "name");

CREATE TABLE "Process" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "pid" INTEGER NOT NULL,
    "startTime" DATETIME NOT NULL,
    "comm" TEXT NOT NULL,
    "cmdline" TEXT NOT NULL,
    "env" JSONB,
    "containerId" INTEGER,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exitedAt" DATETIME,
    CONSTRAINT "Process_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Process_containerId_fkey" FOREIGN KEY ("containerId") REFERENCES "Container" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Process_hostId_pid_startTime_key" ON "Process"("hostId", "pid", "startTime");
CREATE INDEX "Process_containerId_idx" ON "Process"("containerId");
CREATE INDEX "Process_comm_idx" ON "Process"("comm");

CREATE TABLE "Container" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hostId" INTEGER NOT NULL,
    "uid" TEXT NOT NULL,
    "name" TEXT,
    "image" TEXT,
    "runtime" TEXT,
    "podId" INTEGER,
    "labels" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Container_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Container_podId_fkey" FOREIGN KEY ("podId") REFERENCES "K8sPod" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "Container_uid_key" ON "Container"("uid");
CREATE INDEX "Container_hostId_idx" ON "Container"("hostId");
CREATE INDEX "Container_podId_idx" ON "Container"("podId");

CREATE TABLE "K8sCluster" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "uid" TEXT,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "K8sCluster_name_key" ON "K8sCluster"("name");

CREATE TABLE "K8sNode" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT,
    "hostId" INTEGER,
    "labels" JSONB,
    "annotations" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "K8sNode_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "K8sCluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "K8sNode_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "K8sNode_clusterId_name_key" ON "K8sNode"("clusterId", "name");
CREATE INDEX "K8sNode_hostId_idx" ON "K8sNode"("hostId");

CREATE TABLE "K8sNamespace" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT,
    "labels" JSONB,
    "annotations" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "K8sNamespace_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "K8sCluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "K8sNamespace_clusterId_name_key" ON "K8sNamespace"("clusterId", "name");

CREATE TABLE "K8sWorkload" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "namespaceId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT,
    "labels" JSONB,
    "annotations" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "K8sWorkload_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "K8sNamespace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "K8sWorkload_namespaceId_kind_name_key" ON "K8sWorkload"("namespaceId", "kind", "name");

CREATE TABLE "K8sPod" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "namespaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "nodeId" INTEGER,
    "workloadId" INTEGER,
    "ip" TEXT,
    "phase" TEXT,
    "labels" JSONB,
    "annotations" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deletedAt" DATETIME,
    CONSTRAINT "K8sPod_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "K8sNamespace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "K8sPod_nodeId_fkey" FOREIGN KEY ("nodeId") REFERENCES "K8sNode" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "K8sPod_workloadId_fkey" FOREIGN KEY ("workloadId") REFERENCES "K8sWorkload" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "K8sPod_uid_key" ON "K8sPod"("uid");
CREATE INDEX "K8sPod_namespaceId_name_idx" ON "K8sPod"("namespaceId", "name");
CREATE INDEX "K8sPod_nodeId_idx" ON "K8sPod"("nodeId");
CREATE INDEX "K8sPod_workloadId_idx" ON "K8sPod"("workloadId");
CREATE INDEX "K8sPod_ip_idx" ON "K8sPod"("ip");

CREATE TABLE "K8sService" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "namespaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT,
    "type" TEXT,
    "clusterIp" TEXT,
    "selector" JSONB,
    "ports" JSONB,
    "labels" JSONB,
    "annotations" JSONB,
    "firstSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeen" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "K8sService_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "K8sNamespace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "K8sService_namespaceId_name_key" ON "K8sService"("namespaceId", "name");
CREATE INDEX "K8sService_clusterIp_idx" ON "K8sService"("clusterIp");

CREATE TABLE "AlertRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "query" TEXT NOT NULL,
    "condition" JSONB NOT NULL,
    "forSeconds" INTEGER NOT NULL DEFAULT 0,
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "labels" JSONB,
    "channelIds" JSONB,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "AlertRule_name_key" ON "AlertRule"("name");

CREATE TABLE "NotificationChannel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
CREATE UNIQUE INDEX "NotificationChannel_name_key" ON "NotificationChannel"("name");

CREATE TABLE "Silence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "matchers" JSONB NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "comment" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "Silence_endsAt_idx" ON "Silence"("endsAt");

CREATE TABLE "SharedLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "state" JSONB NOT NULL,
    "title" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "snapshotAt" DATETIME
);
