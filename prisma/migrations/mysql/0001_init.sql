-- 0001_init (MySQL/MariaDB): mirrors prisma/schema.prisma with Prisma's type mapping
-- (String VARCHAR(191), DateTime DATETIME(3), Json JSON) and constraint names.

CREATE TABLE `User` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `username` VARCHAR(191) NOT NULL,
    `passwordHash` VARCHAR(191) NOT NULL,
    `role` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `User_username_key`(`username`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Session` (
    `id` VARCHAR(64) NOT NULL,
    `userId` INTEGER NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expiresAt` DATETIME(3) NOT NULL,
    INDEX `Session_userId_idx`(`userId`),
    INDEX `Session_expiresAt_idx`(`expiresAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `ApiToken` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `tokenHash` VARCHAR(64) NOT NULL,
    `scope` VARCHAR(191) NOT NULL,
    `role` VARCHAR(191) NOT NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastUsedAt` DATETIME(3) NULL,
    `revoked` BOOLEAN NOT NULL DEFAULT false,
    UNIQUE INDEX `ApiToken_tokenHash_key`(`tokenHash`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Agent` (
    `id` VARCHAR(191) NOT NULL,
    `hostname` VARCHAR(191) NOT NULL,
    `version` VARCHAR(191) NOT NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL,
    `config` JSON NOT NULL,
    `configVersion` INTEGER NOT NULL DEFAULT 0,
    `hostId` INTEGER NULL,
    INDEX `Agent_hostId_idx`(`hostId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Host` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `uid` VARCHAR(191) NOT NULL,
    `hostname` VARCHAR(191) NOT NULL,
    `os` VARCHAR(191) NULL,
    `kernel` VARCHAR(191) NULL,
    `arch` VARCHAR(191) NULL,
    `labels` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `Host_uid_key`(`uid`),
    INDEX `Host_hostname_idx`(`hostname`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `NetInterface` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `hostId` INTEGER NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `mac` VARCHAR(191) NULL,
    `ips` JSON NOT NULL,
    `netns` INTEGER NULL,
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `NetInterface_hostId_name_key`(`hostId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Process` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `hostId` INTEGER NOT NULL,
    `pid` INTEGER NOT NULL,
    `startTime` DATETIME(3) NOT NULL,
    `comm` VARCHAR(191) NOT NULL,
    `cmdline` TEXT NOT NULL,
    `env` JSON NULL,
    `containerId` INTEGER NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `exitedAt` DATETIME(3) NULL,
    UNIQUE INDEX `Process_hostId_pid_startTime_key`(`hostId`, `pid`, `startTime`),
    INDEX `Process_containerId_idx`(`containerId`),
    INDEX `Process_comm_idx`(`comm`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Container` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `hostId` INTEGER NOT NULL,
    `uid` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NULL,
    `image` VARCHAR(191) NULL,
    `runtime` VARCHAR(191) NULL,
    `podId` INTEGER NULL,
    `labels` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `Container_uid_key`(`uid`),
    INDEX `Container_hostId_idx`(`hostId`),
    INDEX `Container_podId_idx`(`podId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sCluster` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `K8sCluster_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sNode` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `clusterId` INTEGER NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NULL,
    `hostId` INTEGER NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `K8sNode_clusterId_name_key`(`clusterId`, `name`),
    INDEX `K8sNode_hostId_idx`(`hostId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sNamespace` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `clusterId` INTEGER NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `K8sNamespace_clusterId_name_key`(`clusterId`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sWorkload` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `namespaceId` INTEGER NOT NULL,
    `kind` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `K8sWorkload_namespaceId_kind_name_key`(`namespaceId`, `kind`, `name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sPod` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `namespaceId` INTEGER NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NOT NULL,
    `nodeId` INTEGER NULL,
    `workloadId` INTEGER NULL,
    `ip` VARCHAR(191) NULL,
    `phase` VARCHAR(191) NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `deletedAt` DATETIME(3) NULL,
    UNIQUE INDEX `K8sPod_uid_key`(`uid`),
    INDEX `K8sPod_namespaceId_name_idx`(`namespaceId`, `name`),
    INDEX `K8sPod_nodeId_idx`(`nodeId`),
    INDEX `K8sPod_workloadId_idx`(`workloadId`),
    INDEX `K8sPod_ip_idx`(`ip`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `K8sService` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `namespaceId` INTEGER NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `uid` VARCHAR(191) NULL,
    `type` VARCHAR(191) NULL,
    `clusterIp` VARCHAR(191) NULL,
    `selector` JSON NULL,
    `ports` JSON NULL,
    `labels` JSON NULL,
    `annotations` JSON NULL,
    `firstSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `lastSeen` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    UNIQUE INDEX `K8sService_namespaceId_name_key`(`namespaceId`, `name`),
    INDEX `K8sService_clusterIp_idx`(`clusterIp`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `AlertRule` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `description` TEXT NULL,
    `query` TEXT NOT NULL,
    `condition` JSON NOT NULL,
    `forSeconds` INTEGER NOT NULL DEFAULT 0,
    `severity` VARCHAR(191) NOT NULL DEFAULT 'warning',
    `labels` JSON NULL,
    `channelIds` JSON NULL,
    `template` VARCHAR(191) NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `createdBy` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,
    UNIQUE INDEX `AlertRule_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `NotificationChannel` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(191) NOT NULL,
    `kind` VARCHAR(191) NOT NULL,
    `config` JSON NOT NULL,
    `enabled` BOOLEAN NOT NULL DEFAULT true,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,
    UNIQUE INDEX `NotificationChannel_name_key`(`name`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `Silence` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `matchers` JSON NOT NULL,
    `startsAt` DATETIME(3) NOT NULL,
    `endsAt` DATETIME(3) NOT NULL,
    `comment` TEXT NULL,
    `createdBy` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    INDEX `Silence_endsAt_idx`(`endsAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

CREATE TABLE `SharedLink` (
    `id` VARCHAR(32) NOT NULL,
    `state` JSON NOT NULL,
    `title` VARCHAR(191) NULL,
    `createdBy` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `expiresAt` DATETIME(3) NULL,
    `snapshotAt` DATETIME(3) NULL,
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

ALTER TABLE `Session` ADD CONSTRAINT `Session_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `Agent` ADD CONSTRAINT `Agent_hostId_fkey` FOREIGN KEY (`hostId`) REFERENCES `Host`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `NetInterface` ADD CONSTRAINT `NetInterface_hostId_fkey` FOREIGN KEY (`hostId`) REFERENCES `Host`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `Process` ADD CONSTRAINT `Process_hostId_fkey` FOREIGN KEY (`hostId`) REFERENCES `Host`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `Process` ADD CONSTRAINT `Process_containerId_fkey` FOREIGN KEY (`containerId`) REFERENCES `Container`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `Container` ADD CONSTRAINT `Container_hostId_fkey` FOREIGN KEY (`hostId`) REFERENCES `Host`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `Container` ADD CONSTRAINT `Container_podId_fkey` FOREIGN KEY (`podId`) REFERENCES `K8sPod`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `K8sNode` ADD CONSTRAINT `K8sNode_clusterId_fkey` FOREIGN KEY (`clusterId`) REFERENCES `K8sCluster`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `K8sNode` ADD CONSTRAINT `K8sNode_hostId_fkey` FOREIGN KEY (`hostId`) REFERENCES `Host`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `K8sNamespace` ADD CONSTRAINT `K8sNamespace_clusterId_fkey` FOREIGN KEY (`clusterId`) REFERENCES `K8sCluster`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `K8sWorkload` ADD CONSTRAINT `K8sWorkload_namespaceId_fkey` FOREIGN KEY (`namespaceId`) REFERENCES `K8sNamespace`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `K8sPod` ADD CONSTRAINT `K8sPod_namespaceId_fkey` FOREIGN KEY (`namespaceId`) REFERENCES `K8sNamespace`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `K8sPod` ADD CONSTRAINT `K8sPod_nodeId_fkey` FOREIGN KEY (`nodeId`) REFERENCES `K8sNode`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `K8sPod` ADD CONSTRAINT `K8sPod_workloadId_fkey` FOREIGN KEY (`workloadId`) REFERENCES `K8sWorkload`(`id`) ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE `K8sService` ADD CONSTRAINT `K8sService_namespaceId_fkey` FOREIGN KEY (`namespaceId`) REFERENCES `K8sNamespace`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
