/** Types inferred from the API's router; the web app imports only its type (STYLE.md rule 2). */

import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@zeroscope/api/router';

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RequestLogListRow = RouterOutputs['requestLog']['list']['rows'][number];
export type RequestLogRecord = RouterOutputs['requestLog']['get'];
