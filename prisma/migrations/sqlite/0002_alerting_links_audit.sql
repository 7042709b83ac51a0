-- Alerting state, incident-link snapshots, revocation, audit log and the evaluator lock
-- (PRODUCT.md §2.9, §2.10). Mirrors mysql/0002_alerting_links_audit.sql.

ALTER TABLE "AlertRule" ADD COLUMN "annotations" JSONB;
ALTER TABLE "AlertRule" ADD COLUMN "groupBy" JSONB;
ALTER TABLE "AlertRule" ADD COLUMN "windowSeconds" INTEGER NOT NULL DEFAULT 300;
ALTER TABLE "AlertRule" ADD COLUMN "repeatSeconds" INTEGER NOT NULL DEFAULT 3600;

ALTER TABLE "Silence" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'silence';
ALTER TABLE "Silence" ADD COLUMN "schedule" JSONB;

ALTER TABLE "SharedLink" ADD COLUMN "revokedAt" DATETIME;

CREATE TABLE "SharedLinkSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "linkId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "input" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    CONSTRAINT "SharedLinkSnapshot_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "SharedLink" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "SharedLinkSnapshot_linkId_idx" ON "SharedLinkSnapshot"("linkId");

CREATE TABLE "AlertState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ruleId" INTEGER NOT NULL,
    "seriesKey" TEXT NOT NULL,
    "labels" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "value" REAL,
    "lastEvalAt" DATETIME NOT NULL,
    "firedAt" DATETIME,
    "notifiedAt" DATETIME,
    "resolvedAt" DATETIME
);
CREATE UNIQUE INDEX "AlertState_ruleId_seriesKey_key" ON "AlertState"("ruleId", "seriesKey");

CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" JSONB
);
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

CREATE TABLE "LeaderLock" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);
