-- Alerting state, incident-link snapshots, revocation, audit log and the evaluator lock
-- (PRODUCT.md §2.9, §2.10). Mirrors sqlite/0002_alerting_links_audit.sql.

ALTER TABLE `AlertRule` ADD COLUMN `annotations` JSON NULL;
ALTER TABLE `AlertRule` ADD COLUMN `groupBy` JSON NULL;
ALTER TABLE `AlertRule` ADD COLUMN `windowSeconds` INTEGER NOT NULL DEFAULT 300;
ALTER TABLE `AlertRule` ADD COLUMN `repeatSeconds` INTEGER NOT NULL DEFAULT 3600;

ALTER TABLE `Silence` ADD COLUMN `kind` VARCHAR(191) NOT NULL DEFAULT 'silence';
ALTER TABLE `Silence` ADD COLUMN `schedule` JSON NULL;

ALTER TABLE `SharedLink` ADD COLUMN `revokedAt` DATETIME(3) NULL;

CREATE TABLE `SharedLinkSnapshot` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `linkId` VARCHAR(32) NOT NULL,
    `path` VARCHAR(191) NOT NULL,
    `input` MEDIUMTEXT NOT NULL,
    `data` LONGTEXT NOT NULL,
    INDEX `SharedLinkSnapshot_linkId_idx`(`linkId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `AlertState` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `ruleId` INTEGER NOT NULL,
    `seriesKey` VARCHAR(191) NOT NULL,
    `labels` JSON NOT NULL,
    `state` VARCHAR(191) NOT NULL,
    `since` DATETIME(3) NOT NULL,
    `value` DOUBLE NULL,
    `lastEvalAt` DATETIME(3) NOT NULL,
    `firedAt` DATETIME(3) NULL,
    `notifiedAt` DATETIME(3) NULL,
    `resolvedAt` DATETIME(3) NULL,
    UNIQUE INDEX `AlertState_ruleId_seriesKey_key`(`ruleId`, `seriesKey`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `AuditLog` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `actor` VARCHAR(191) NOT NULL,
    `action` VARCHAR(191) NOT NULL,
    `target` VARCHAR(191) NULL,
    `detail` JSON NULL,
    INDEX `AuditLog_at_idx`(`at`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `LeaderLock` (
    `name` VARCHAR(64) NOT NULL,
    `owner` VARCHAR(64) NOT NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    PRIMARY KEY (`name`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `SharedLinkSnapshot` ADD CONSTRAINT `SharedLinkSnapshot_linkId_fkey` FOREIGN KEY (`linkId`) REFERENCES `SharedLink`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
