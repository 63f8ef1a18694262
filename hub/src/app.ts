import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { apiError } from './errors.js';
import type { Logger } from './logger.js';
import type { HubMetrics } from './metrics.js';
import { errorHandler } from './middleware/errors.js';
import { requireUser, type AppState } from './middleware/session.js';
import type { AlertService } from './alerts/alert.service.js';
import { alertRoutes } from './routes/alerts.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { checkConfigRoutes } from './routes/check-config.routes.js';
import { discoveryRoutes } from './routes/discovery.routes.js';
import { enrollmentPublicRoutes, enrollmentRoutes } from './routes/enrollment.routes.js';
import { healthRoutes, type Readiness } from './routes/health.routes.js';
import { inventoryRoutes, type InventoryServices } from './routes/inventory.routes.js';
import { seriesRoutes } from './routes/series.routes.js';
import { helpdeskAdminRoutes } from './routes/helpdesk-admin.routes.js';
import { ticketRoutes } from './routes/ticket.routes.js';
import type { AgentConfigService } from './services/agent-config.service.js';
import type { AgentUpdateService } from './services/agent-update.service.js';
import type { AuthService } from './services/auth.service.js';
import type { EnrollmentService } from './services/enrollment.service.js';
import type { DiscoveryService } from './services/discovery.service.js';
import type { HelpdeskServices } from './helpdesk/helpdesk.js';
import type { SeriesService } from './timeseries/series.service.js';
import { webApp } from './web.js';

export interface AppDeps {
  services: InventoryServices &
    HelpdeskServices & {
      auth: AuthService;
      configs: AgentConfigService;
      series: SeriesService;
      discovery: DiscoveryService;
      alerts: AlertService;
      enrollment: EnrollmentService;
      agentUpdates: AgentUpdateService;
    };
  readiness: Readiness;
  metrics: HubMetrics;
  logger: Logger;
  webDir: string;
  /** The MQTT URL to write into a new agent's config, given the host the admin used. */
  mqttUrlFor: (requestHost: string) => string;
  secureCookies?: boolean;
}

const PUBLIC_API = new Set(['/api/v1/auth/login']);

/** Builds the Koa app; only server.ts listens (STYLE.md). Tests call `app.callback()`. */
export function buildApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  app.proxy = true;
  app.use(errorHandler(deps.logger));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));

  const health = healthRoutes(deps.readiness, deps.metrics);
  app.use(health.routes());

  // Branch servers: enrollment token or agent credentials, no session (enrollment.routes.ts).
  app.use(enrollmentPublicRoutes(deps.services, deps.mqttUrlFor).routes());

  const guard = requireUser(deps.services.auth);
  app.use((ctx, next) =>
    ctx.path.startsWith('/api/') && !PUBLIC_API.has(ctx.path) ? guard(ctx, next) : next(),
  );
  for (const router of [
    authRoutes(deps.services.auth, deps.secureCookies ?? false),
    inventoryRoutes(deps.services, deps.mqttUrlFor),
    ticketRoutes(deps.services.tickets, deps.services.conversation),
    helpdeskAdminRoutes(deps.services),
    checkConfigRoutes(deps.services.configs),
    seriesRoutes(deps.services.series),
    discoveryRoutes(deps.services.discovery),
    alertRoutes(deps.services.alerts),
    enrollmentRoutes(deps.services),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use((ctx, next) => {
    if (ctx.path.startsWith('/api/'))
      throw apiError(404, 'BW_ERR_NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    return next();
  });
  app.use(webApp(deps.webDir));
  return app;
}
