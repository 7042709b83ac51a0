/** The API's tRPC root. The web app imports only `type AppRouter` (package export "./router"). */
import { alertsRouter } from './alerts';
import { createCallerFactory, router } from './init';
import { linksRouter } from './links';
import { mapRouter } from './map';
import { networkRouter } from './network';
import { profileRouter } from './profile';
import { queryRouter } from './query';
import { requestLogRouter } from './requestLog';
import { resourcesRouter } from './resources';
import { serviceRouter } from './service';
import { traceRouter } from './trace';
import { usersRouter } from './users';

export const appRouter = router({
  alerts: alertsRouter,
  links: linksRouter,
  users: usersRouter,
  requestLog: requestLogRouter,
  trace: traceRouter,
  query: queryRouter,
  map: mapRouter,
  network: networkRouter,
  service: serviceRouter,
  resources: resourcesRouter,
  profile: profileRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller, e.g. for tests: `createCaller({ api, principal })`. */
export const createCaller = createCallerFactory(appRouter);
