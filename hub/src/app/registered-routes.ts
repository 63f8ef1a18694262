import type { Router } from '@koa/router';
import { buildApp, type AppDeps } from './app.js';
import { routeKeys } from '../identity/access.js';
import type { AppState } from '../http/request-state.js';

// Handlers are never called: building the app only registers routes, so every dependency can
// be an inert stand-in.
const inert: unknown = new Proxy(() => inert, {
  get: (_target, prop) => (prop === 'then' ? undefined : inert),
});

/**
 * `METHOD /path` of every route the built app registers, read from @koa/router's stacks
 * (router.routes() marks its middleware with the router). For the route-permission and
 * cross-tenant tests: a route added anywhere appears here without anyone listing it.
 */
export function registeredRoutes(): string[] {
  const app = buildApp({
    services: inert,
    readiness: inert,
    metrics: inert,
    logger: inert,
    webDir: '.',
    address: inert,
  } as AppDeps);
  const routers = app.middleware
    .map((m) => (m as { router?: Router<AppState> }).router)
    .filter((r): r is Router<AppState> => r !== undefined);
  return [...new Set(routeKeys(routers))];
}
