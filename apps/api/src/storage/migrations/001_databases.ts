import type { Migration } from './types';

export const DATABASES = ['flow_log', 'flow_metrics', 'profile', 'event', 'prometheus', 'flow_tag'] as const;

export const migration001: Migration = {
  version: 1,
  name: 'databases',
  statements: DATABASES.map((db) => `CREATE DATABASE IF NOT EXISTS ${db}`),
};
