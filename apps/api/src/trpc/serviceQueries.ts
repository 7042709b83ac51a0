/**
 * Per-service dashboard queries (PRODUCT.md §2.9 "per-service dashboards (RED, instances,
 * endpoints, dependencies)"): the service list, one service's RED over time, its callers and
 * callees, and its errors. A service is an `auto_service` name (service > workload > process
 * > host > IP, §2.5). Query language text like mapQueries.ts. Pure.
 */
import { z } from 'zod';
import { literal, RED_SELECT, resolutionFor } from './mapQueries';
import { seriesStep } from './networkQueries';

const epochSeconds = z.number().int().min(0).max(4_102_444_800);

export const servicesInput = z
  .object({ start: epochSeconds, end: epochSeconds, search: z.string().max(200).optional() })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type ServicesInput = z.output<typeof servicesInput>;

export const serviceInput = z
  .object({ start: epochSeconds, end: epochSeconds, service: z.string().max(512) })
  .refine((v) => v.end > v.start, { message: 'end must be after start', path: ['end'] });
export type ServiceInput = z.output<typeof serviceInput>;

/** Every service that served requests, with its server-side RED. */
export function servicesText(input: ServicesInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT auto_service AS n, observation_point AS op, ${RED_SELECT} FROM application.${res} ` +
    'GROUP BY n, op ORDER BY req DESC LIMIT 2000'
  );
}

/** Services seen as callers, with the calls they made (a service that only calls out, e.g. a frontend). */
export function callersText(input: ServicesInput): string {
  const res = resolutionFor(input.start, input.end);
  return (
    `SELECT auto_service_0 AS n, observation_point AS op, ${RED_SELECT} FROM application_map.${res} ` +
    'GROUP BY n, op ORDER BY req DESC LIMIT 2000'
  );
}

const self = (input: ServiceInput) => `auto_service = ${literal(input.service)}`;

/** The service's RED per step, per observation point (the reader keeps the busiest). */
export function serviceSeriesText(input: ServiceInput): string {
  const step = seriesStep(input.start, input.end);
  const res = step >= 3600 ? '1h' : '1m';
  return (
    `SELECT time(time, ${step}) AS t, observation_point AS op, ${RED_SELECT} FROM application.${res} ` +
    `WHERE ${self(input)} GROUP BY t, op ORDER BY t ASC LIMIT 10000`
  );
}

/** Callers (`upstream`: edges into the service) or callees (`downstream`: edges out of it). */
export function dependencyText(input: ServiceInput, dir: 'upstream' | 'downstream'): string {
  const res = resolutionFor(input.start, input.end);
  const [other, me] =
    dir === 'upstream' ? ['auto_service_0', 'auto_service_1'] : ['auto_service_1', 'auto_service_0'];
  return (
    `SELECT ${other} AS n, observation_point AS op, ${RED_SELECT} FROM application_map.${res} ` +
    `WHERE ${me} = ${literal(input.service)} GROUP BY n, op ORDER BY req DESC LIMIT 200`
  );
}

/** Failed requests the service served, grouped by endpoint, status and code. */
export function errorsText(input: ServiceInput): string {
  return (
    'SELECT endpoint AS e, response_status AS s, response_code AS c, response_exception AS x, Count(row) AS n ' +
    'FROM l7_flow_log ' +
    `WHERE auto_service_1 = ${literal(input.service)} AND response_status IN ('server_error', 'client_error', 'timeout') ` +
    'GROUP BY e, s, c, x ORDER BY n DESC LIMIT 50'
  );
}
