import { migration001 } from './001_databases';
import { migration002 } from './002_flow_log';
import { migration003 } from './003_flow_tag';
import { migration004 } from './004_flow_metrics';
import { migration005 } from './005_profile';
import { migration010 } from './010_resource_event';
import { migration011 } from './011_alert_event';
import { migration012 } from './012_prometheus';
import { migration013 } from './013_app_log';
import { migration016 } from './016_l7_sort_codecs';
import type { Migration } from './types';

export type { Migration };
/** In version order; append new migrations here. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration010,
  migration011,
  migration012,
  migration013,
  migration016,
];
