-- Containers and Kubernetes services that went away keep their row (and id, which old
-- telemetry rows still name) with the time they were last reported gone. Mirrors
-- sqlite/0007_resource_deleted.sql.

ALTER TABLE `Container` ADD COLUMN `deletedAt` DATETIME(3) NULL;
ALTER TABLE `K8sService` ADD COLUMN `deletedAt` DATETIME(3) NULL;
