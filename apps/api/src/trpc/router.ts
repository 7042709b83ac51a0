/** The API's tRPC root. The web app imports only `type AppRouter` (package export "./router"). */
import { createCallerFactory, router } from './init';
import { mapRouter } from './map';
import { profileRouter } from './profile';
import { queryRouter } from './query';
import { requestLogRouter } from './requestLog';

export const appRouter = router({
  requestLog: requestLogRouter,
  query: queryRouter,
  map: mapRouter,
  profile: profileRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller, e.g. for tests: `createCaller({ api, principal })`. */
export const createCaller = createCallerFactory(appRouter);
