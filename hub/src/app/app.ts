import fs from 'node:fs';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { apiError } from '../http/errors.js';
import type { Logger } from '../core/logger.js';
import type { HubMetrics } from '../core/metrics.js';
import { errorHandler, responseErrorListener } from '../http/error-handler.js';
import { requireUser } from '../identity/session.middleware.js';
import type { AlertService } from '../alerts/alert-rule.service.js';
import { alertRoutes } from '../alerts/alerts.routes.js';
import { authRoutes } from '../identity/auth.routes.js';
import { checkConfigRoutes } from '../fleet/check-config.routes.js';
import { discoveryRoutes } from '../fleet/discovery.routes.js';
import { enrollmentPublicRoutes, enrollmentRoutes } from '../fleet/enrollment/enrollment.routes.js';
import { healthRoutes, type Readiness } from '../http/health.routes.js';
import { hubHealthRoutes } from '../http/hub-health.routes.js';
import { inventoryRoutes, type InventoryServices } from '../fleet/inventory.routes.js';
import { seriesRoutes } from '../timeseries/series.routes.js';
import { helpdeskAdminRoutes } from '../helpdesk/helpdesk-admin.routes.js';
import { ticketRoutes } from '../helpdesk/ticket.routes.js';
import { notifyRoutes } from '../notify/notify.routes.js';
import { telegramWebhookRoutes } from '../notify/telegram/telegram-webhook.routes.js';
import type { NotifyService } from '../notify/notify.service.js';
import { apiTokenRoutes } from '../identity/api-token.routes.js';
import { auditRoutes } from '../identity/audit/audit.routes.js';
import { twoFactorRoutes } from '../identity/two-factor.routes.js';
import type { IdentityServices } from '../identity/identity.js';
import { tenantRoutes } from '../identity/tenants.routes.js';
import type { TenantService } from '../identity/tenant.service.js';
import { identityProviderRoutes } from '../identity/sso/identity-provider.routes.js';
import { ssoReportRoutes } from '../identity/sso/sso-report.routes.js';
import { userRoutes } from '../identity/users.routes.js';
import { passwordPolicyRoutes } from '../identity/password-policy.routes.js';
import { scimRoutes } from '../identity/scim/scim.routes.js';
import { scimTokenRoutes } from '../identity/scim/scim-token.routes.js';
import type { ScimService } from '../identity/scim/scim.service.js';
import type { SsoSignInService } from '../identity/sso/sso-sign-in.service.js';
import { ssoBrowserRoutes, ssoLoginRoutes } from '../identity/sso/sso.routes.js';
import { authorize, RouteAccess } from '../identity/access.js';
import type { RequestScope } from '../db/request-scope.js';
import type { UserAdminService } from '../identity/user-admin.service.js';
import { buildOpenApiDocument } from '../http/openapi/document.js';
import { openapiRoutes } from '../http/openapi/openapi.routes.js';
import type { LiveEvents } from '../live/live-events.js';
import { liveRoutes } from '../live/live.routes.js';
import type { ReportService } from '../reports/report.service.js';
import type { DashboardService } from '../reports/dashboard.service.js';
import type { PortalService } from '../portal/portal.service.js';
import { portalRoutes } from '../portal/portal.routes.js';
import { brandingRoutes } from '../identity/branding/branding.routes.js';
import type { PrivacyService } from '../privacy/privacy.service.js';
import { privacyRoutes } from '../privacy/privacy.routes.js';
import { inboxRoutes } from '../notify/inbox.routes.js';
import { pushRoutes } from '../notify/push/push.routes.js';
import type { PushService } from '../notify/push/push.service.js';
import type { InboxRepository } from '../notify/inbox.repository.js';
import { reportRoutes } from '../reports/reports.routes.js';
import { reportScheduleRoutes } from '../reports/report-schedule.routes.js';
import { ticketExportRoutes } from '../reports/ticket-export.routes.js';
import type { ReportSchedules } from '../reports/report-schedules.js';
import { automationRoutes } from '../automation/automation.routes.js';
import type { AutomationService } from '../automation/automation.service.js';
import { knowledgeRoutes } from '../knowledge/article.routes.js';
import { articleFileRoutes } from '../knowledge/article-file.routes.js';
import type { KnowledgeServices } from '../knowledge/knowledge.js';
import type { AgentConfigService } from '../fleet/agent-config.service.js';
import type { AgentUpdateService } from '../fleet/enrollment/agent-update.service.js';
import type { AuthService } from '../identity/auth.service.js';
import type { EnrollmentService } from '../fleet/enrollment/enrollment.service.js';
import type { DiscoveryService } from '../fleet/discovery.service.js';
import type { HelpdeskServices } from '../helpdesk/helpdesk.js';
import type { SeriesService } from '../timeseries/series.service.js';
import { webApp } from '../http/web.js';
import { specOf } from '../http/define.js';
import { stagedUploads, type UploadLimits } from '../http/staged-upload.js';
import type { AppState } from '../http/request-state.js';
import { TrustedProxies } from '../http/trusted-proxy.js';
import type { PublicAddress } from '../http/public-address.js';
import { securityHeaders } from '../http/security-headers.js';

export interface AppDeps {
  services: InventoryServices &
    HelpdeskServices &
    KnowledgeServices &
    IdentityServices & {
      auth: AuthService;
      configs: AgentConfigService;
      series: SeriesService;
      discovery: DiscoveryService;
      alerts: AlertService;
      enrollment: EnrollmentService;
      agentUpdates: AgentUpdateService;
      notify: NotifyService;
      live: LiveEvents;
      reports: ReportService;
      dashboards: DashboardService;
      reportSchedules: ReportSchedules;
      automation: AutomationService;
      portal: PortalService;
      privacy: PrivacyService;
      inbox: InboxRepository;
      push: PushService;
      userAdmin: UserAdminService;
      tenants: TenantService;
      scim: ScimService;
      /** Sign-in through a tenant's identity provider (identity/sso/). */
      sso: SsoSignInService;
    };
  /**
   * Checks each request against the route table and runs it under row-level security
   * (identity/access.ts); absent: the table is checked, with no database scope.
   */
  routeAccess?: RouteAccess;
  /** Puts every request on the API pool (db/request-scope.ts); absent: one pool. */
  requestScope?: RequestScope;
  /** Bounds of upload bodies, received before the request's transaction (http/staged-upload.ts). */
  uploads?: UploadLimits;
  readiness: Readiness;
  metrics: HubMetrics;
  logger: Logger;
  webDir: string;
  /** The hub's own addresses, as handed to branch servers (http/public-address.ts). */
  address: PublicAddress;
  secureCookies?: boolean;
  /** Proxies whose X-Forwarded-* headers count (http/trusted-proxy.ts); default none. */
  proxies?: TrustedProxies;
}

// The OpenAPI document is public: it holds the API's shape, no tenant's data (docs/api.md).
export const PUBLIC_API: ReadonlySet<string> = new Set([
  '/api/v1/auth/login',
  // The second login step and required 2FA enrolment: a login ticket, no session yet.
  '/api/v1/auth/login/mfa',
  '/api/v1/auth/login/enrol',
  '/api/v1/auth/login/enrol/confirm',
  // The login page's provider buttons and e-mail routing (identity/sso/sso.routes.ts).
  '/api/v1/auth/sso/providers',
  '/api/v1/auth/sso/discover',
  '/api/v1/openapi.json',
  // Telegram authenticates by its secret_token header (notify/telegram/telegram-webhook.routes.ts).
  '/api/v1/telegram/webhook',
]);

/** Builds the Koa app; only server.ts listens (docs/contributing.md). Tests call `app.callback()`. */
export function buildApp(deps: AppDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  // X-Forwarded-* count only from a trusted proxy: the middleware drops them from anyone else.
  app.proxy = true;
  app.use((deps.proxies ?? new TrustedProxies([])).middleware());
  app.use(securityHeaders());
  app.use(errorHandler(deps.logger));
  app.on('error', responseErrorListener(deps.logger));
  // Every request on the API pool, apart from ingest's (db/request-scope.ts).
  const scope = deps.requestScope;
  if (scope) app.use((_ctx, next) => scope.request(next));
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '1mb',
      // A body that is not JSON, or too large, is the client's mistake: say so, never 500.
      onError: (err) => {
        const status = (err as { status?: number }).status;
        if (status === 413) throw apiError(413, 'BW_ERR_VALIDATION', 'body: larger than 1 MB');
        throw apiError(400, 'BW_ERR_VALIDATION', 'body: not valid JSON', { field: 'body' });
      },
    }),
  );

  const health = healthRoutes(deps.readiness, deps.metrics);
  app.use(health.routes());

  // Branch servers: enrollment token or agent credentials, no session (enrollment.routes.ts).
  app.use(enrollmentPublicRoutes(deps.services, deps.address).routes());
  // Directories: a SCIM token of the tenant, no session (identity/scim/scim.routes.ts).
  app.use(scimRoutes(deps.services.scim, deps.address, scope).routes());
  // Browsers on their way to and back from a tenant's identity provider: no session yet.
  app.use(ssoBrowserRoutes(deps.services.sso, deps.address, deps.secureCookies ?? false).routes());

  const tenantExists = async (id: string) =>
    (await deps.services.tenants.list()).some((x) => x.id === id);
  const guard = requireUser(deps.services.auth);
  app.use((ctx, next) =>
    ctx.path.startsWith('/api/') && !PUBLIC_API.has(ctx.path) ? guard(ctx, next) : next(),
  );
  // Permissions (identity/route-permissions.ts) and the tenant's database scope, in one place.
  const routeAccess = deps.routeAccess ?? new RouteAccess(deps.services.userAdmin, undefined);
  const routers = [
    authRoutes(deps.services.auth, deps.secureCookies ?? false, (sso, ctx) =>
      deps.services.sso.logoutUrl(sso, deps.address.origin(ctx)),
    ),
    ssoLoginRoutes(deps.services.sso),
    twoFactorRoutes(deps.services.twoFactor),
    apiTokenRoutes(deps.services.apiTokens),
    auditRoutes(deps.services.audit),
    inventoryRoutes(deps.services, deps.address),
    ticketRoutes(deps.services.tickets, deps.services.conversation),
    helpdeskAdminRoutes(deps.services),
    checkConfigRoutes(deps.services.configs),
    seriesRoutes(deps.services.series),
    discoveryRoutes(deps.services.discovery),
    alertRoutes(deps.services.alerts),
    enrollmentRoutes(deps.services, deps.address),
    notifyRoutes(deps.services.notify),
    telegramWebhookRoutes(deps.services.notify),
    liveRoutes(
      deps.services.live,
      async (user, token, route) =>
        (await deps.services.auth.authenticate(token))
          ? routeAccess.check(user, route).catch(() => undefined)
          : undefined,
      // Under the person's row-level security, as their request would be.
      (user, access, ticketId) => {
        const reaches = () =>
          deps.services.portal.reaches(ticketId, deps.services.portal.reachOf(user, access));
        return scope
          ? scope.run({ tenantId: user.tenantId, branchIds: access.branchIds }, reaches)
          : reaches();
      },
    ),
    reportRoutes(deps.services.reports, deps.services.dashboards),
    reportScheduleRoutes(deps.services.reportSchedules),
    ticketExportRoutes(
      deps.services.tickets,
      deps.services.portal,
      deps.services.dashboards,
      deps.services.branding,
    ),
    automationRoutes(deps.services.automation),
    knowledgeRoutes(deps.services.knowledge),
    articleFileRoutes(deps.services.articleFiles),
    portalRoutes(deps.services.portal),
    inboxRoutes(deps.services.inbox),
    pushRoutes(deps.services.push),
    openapiRoutes(() => buildOpenApiDocument(app, PUBLIC_API)),
    userRoutes(deps.services.userAdmin),
    passwordPolicyRoutes(deps.services.passwords, tenantExists),
    privacyRoutes(deps.services.privacy, tenantExists),
    scimTokenRoutes(deps.services.scim, tenantExists),
    identityProviderRoutes(
      deps.services.providers,
      deps.services.directory,
      deps.services.signInSettings,
      deps.address,
      deps.services.sso,
    ),
    ssoReportRoutes(deps.services.ssoReport),
    brandingRoutes(deps.services.branding),
    tenantRoutes(deps.services.tenants),
    hubHealthRoutes(deps.metrics),
  ];
  if (deps.uploads) {
    const uploadOf = uploadRoutes(routers);
    const scanner = deps.services.scanner;
    // Attachments are scanned once received, before the transaction (helpdesk/malware/).
    const scan = async (ctx: Koa.Context, upload: { path: string }) => {
      if (!uploadOf(ctx)?.malwareScan) return;
      const user = (ctx.state as AppState).user;
      await scanner.check(
        { open: () => fs.createReadStream(upload.path) },
        {
          actor: { id: user.id, username: user.username },
          tenantId: user.tenantId,
          target: `upload:${ctx.path}`,
          name: typeof ctx.query.name === 'string' ? ctx.query.name : 'upload',
          via: 'upload',
          ip: ctx.ip,
        },
      );
    };
    app.use(stagedUploads(deps.uploads, uploadOf, scan));
  }
  app.use(authorize(routers, routeAccess));
  for (const router of routers) {
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

/** The file body (`rawBody` in its spec) of the route a request goes to, if it takes one. */
function uploadRoutes(
  routers: readonly { stack: unknown[] }[],
): (ctx: Koa.Context) => { maxBytes?: number; malwareScan?: boolean } | undefined {
  type Layer = { methods: string[]; match(path: string): boolean };
  const layers = routers
    .flatMap((r) => r.stack as Layer[])
    .flatMap((layer) => {
      const rawBody = specOf(layer)?.rawBody;
      return rawBody ? [{ layer, rawBody }] : [];
    });
  return (ctx) =>
    layers.find(({ layer }) => layer.methods.includes(ctx.method) && layer.match(ctx.path))
      ?.rawBody;
}
