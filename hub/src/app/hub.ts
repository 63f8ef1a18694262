import { ScimRepository } from '../identity/scim/scim.repository.js';
import { ScimService } from '../identity/scim/scim.service.js';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { buildApp } from './app.js';
import { createBroker } from '../broker/embedded-broker.js';
import { connectExternalBroker } from '../broker/external-broker.js';
import type { HubConfig } from '../config/config.js';
import {
  connectApiDatabase,
  connectDatabase,
  databaseEncodingWarning,
  migrate,
  poolCounts,
  poolWaits,
} from '../db/database.js';
import { oneAtATime, runExclusively } from '../db/job-lock.js';
import { RequestScope } from '../db/request-scope.js';
import { RouteAccess } from '../identity/access.js';
import { RoleRepository } from '../identity/role.repository.js';
import { UserAdminService } from '../identity/user-admin.service.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres.js';
import { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { Teardown } from '../core/teardown.js';
import { HubMetrics } from '../core/metrics.js';
import { AgentRepository } from '../fleet/agent.repository.js';
import { BranchRepository } from '../fleet/branch.repository.js';
import { CheckRepository } from '../fleet/check.repository.js';
import { IngestRepository } from '../ingest/ingest.repository.js';
import { TenantRepository } from '../identity/tenant.repository.js';
import { AlertTicketRepository } from '../alerts/alert-ticket.repository.js';
import { TicketRepository } from '../helpdesk/ticket.repository.js';
import { UserRepository } from '../identity/user.repository.js';
import { AgentConfigService } from '../fleet/agent-config.service.js';
import { DiscoveryService } from '../fleet/discovery.service.js';
import { DiscoveryRepository } from '../fleet/discovery.repository.js';
import { startIdentity, createSsoSignIn } from '../identity/identity.js';
import { IdentityProviderRepository } from '../identity/sso/identity-provider.repository.js';
import { idpCertificateFacts, type SamlIdpSettings } from '../identity/sso/saml-metadata.js';
import { SsoCertificateAlerts } from '../alerts/sso-certificate-alerts.js';
import { SsoFindingAlerts } from '../alerts/sso-finding-alerts.js';
import { providerName, recentSignInFindings } from '../identity/sso/sign-in-events.js';
import { BootstrapService } from '../identity/bootstrap.service.js';
import { BranchService } from '../fleet/branch.service.js';
import { TenantService } from '../identity/tenant.service.js';
import { CheckService } from '../fleet/check.service.js';
import { IncidentService } from '../alerts/incident.service.js';
import { BreakGlassAlerts } from '../alerts/break-glass-alerts.js';
import { JobAlerts } from '../alerts/job-alerts.js';
import { AgentStatusEvents } from '../fleet/agent-status-events.js';
import { AlertConfigRepository } from '../alerts/alert-config.repository.js';
import { AlertPolicy } from '../alerts/alert-policy.js';
import { AlertService } from '../alerts/alert-rule.service.js';
import { IncidentRepository } from '../alerts/incident.repository.js';
import { DEFAULT_GROUP_LIMITS, IngestService } from '../ingest/ingest.service.js';
import { createHelpdesk } from '../helpdesk/helpdesk.js';
import { createKnowledge } from '../knowledge/knowledge.js';
import { LiveEvents } from '../live/live-events.js';
import { LiveRepository } from '../live/live.repository.js';
import { ReportRepository } from '../reports/report.repository.js';
import { ReportService } from '../reports/report.service.js';
import { DashboardService } from '../reports/dashboard.service.js';
import { PortalRepository } from '../portal/portal.repository.js';
import { PortalService } from '../portal/portal.service.js';
import { PersonalDataRepository } from '../privacy/personal-data.repository.js';
import { PrivacyService } from '../privacy/privacy.service.js';
import { RetentionRepository } from '../privacy/retention.repository.js';
import { InboxRepository } from '../notify/inbox.repository.js';
import { TicketRelationsRepository } from '../helpdesk/ticket-relations.repository.js';
import { createNotify } from '../notify/notify.js';
import { createAutomation } from '../automation/automation.js';
import type { AutomationEngine } from '../automation/automation-engine.js';
import { ReportSchedules } from '../reports/report-schedules.js';
import { SeriesService } from '../timeseries/series.service.js';
import { EnrollmentRepository } from '../fleet/enrollment/enrollment.repository.js';
import { AgentUpdateService } from '../fleet/enrollment/agent-update.service.js';
import { EnrollmentService } from '../fleet/enrollment/enrollment.service.js';
import { ReleaseStore } from '../fleet/enrollment/release-store.js';
import { TimeseriesRepository } from '../timeseries/timeseries.repository.js';
import { TimeseriesService } from '../timeseries/timeseries.service.js';
import { TimescaleRepository } from '../timeseries/timescale.repository.js';
import { readTlsFiles, type SecureServer } from '../http/tls.js';
import { TrustedProxies } from '../http/trusted-proxy.js';
import { publicAddress } from '../http/public-address.js';

export interface RunningHub {
  httpPort: number;
  mqttPort: number;
  /** MQTT over TLS, when TLS is configured (then the HTTP port serves HTTPS). */
  mqttsPort: number | undefined;
  /** Reads the TLS files again and serves them to new connections; throws and keeps the old. */
  reloadTls(): void;
  /** The first admin's password when the hub generated it; shown once. */
  generatedAdminPassword: string | undefined;
  /** What a person starting the hub should fix, in words (also logged at level warn). */
  startWarnings: string[];
  usesEmbeddedDatabase: boolean;
  /** Runs automation rules; tests move time through its sweep (docs/automation.md). */
  automation: AutomationEngine;
  /** Retention per tenant; tests move time through its sweep (docs/privacy.md). */
  privacy: PrivacyService;
  /** Scheduled reports by mail; tests move time through its sweep (docs/reports.md). */
  reportSchedules: ReportSchedules;
  /** Alerts and their tickets; tests move time through its sweep (`reconcile`, docs/alerts.md). */
  incidents: IncidentService;
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part from the config and starts them in order. A start
 * that fails stops again what it had started, the embedded PostgreSQL last.
 */
export async function startHub(config: HubConfig, logger: Logger): Promise<RunningHub> {
  const teardown = new Teardown(logger);
  try {
    return await startParts(config, logger, teardown);
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

async function startParts(
  config: HubConfig,
  logger: Logger,
  teardown: Teardown,
): Promise<RunningHub> {
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    const database = await startEmbeddedPostgres(config.dataDir, logger);
    teardown.add('embedded PostgreSQL', () => database.stop());
    embedded = database;
  }
  const url = config.databaseUrl ?? embedded!.url;
  const { database: pools } = config.limits;
  const rootDb = connectDatabase(url, { min: 0, max: pools.workPoolSize });
  teardown.add('database connections', () => rootDb.destroy());
  const apiDb = connectApiDatabase(url, {
    poolSize: pools.apiPoolSize,
    statementTimeoutSeconds: pools.apiStatementTimeoutSeconds,
    idleInTransactionSeconds: pools.apiIdleInTransactionSeconds,
  });
  teardown.add('API database connections', () => apiDb.destroy());
  const applied = await migrate(rootDb);
  // Repositories get a db that is the API request's row-level-secured transaction inside a
  // request and the pool elsewhere (db/request-scope.ts).
  const requestScope = new RequestScope(rootDb, apiDb);
  const db = requestScope.db;
  logger.info({ applied }, applied.length ? 'database migrated' : 'database schema is current');
  const startWarnings: string[] = [];
  const encodingWarning = await databaseEncodingWarning(
    rootDb,
    embedded ? config.dataDir : undefined,
  );
  if (encodingWarning) {
    logger.warn(encodingWarning);
    startWarnings.push(encodingWarning);
  }

  const metrics = new HubMetrics();
  if (embedded) metrics.watchEmbeddedDatabase(embedded.health);
  metrics.watchPool('api', () => poolCounts(apiDb));
  metrics.watchPool('work', () => poolCounts(rootDb));
  poolWaits(apiDb, (seconds) => metrics.databasePoolWait.observe({ pool: 'api' }, seconds));
  poolWaits(rootDb, (seconds) => metrics.databasePoolWait.observe({ pool: 'work' }, seconds));
  const events = new EventBus(logger);
  const tenants = new TenantRepository(db);
  const branches = new BranchRepository(db);
  const agents = new AgentRepository(db);
  const users = new UserRepository(db);
  const checks = new CheckRepository(db);
  const tickets = new TicketRepository(db);
  const { jobs } = metrics;
  const helpdesk = createHelpdesk({ db, tickets, branches, events, config, logger, jobs });
  await helpdesk.importAttachmentFiles();
  // Live events to browsers, across hub processes through LISTEN/NOTIFY (live/live-events.ts).
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const live = new LiveEvents(new LiveRepository(db), databaseUrl, logger);
  live.forward(events);
  await live.start();
  teardown.add('live events', () => live.stop());

  // Tells root cause when an agent comes and goes (agent.statusChanged).
  const agentService = new AgentStatusEvents(agents, branches, events);
  const timeseriesRepo = new TimeseriesRepository(db);
  const timeseries = new TimeseriesService(timeseriesRepo, config.timeseries, logger, jobs);
  // TimescaleDB runs its policies as background jobs of its own: their statistics and errors,
  // read by /metrics on the API pool but outside a request's transaction (its role, bw_api,
  // sees no job's errors), so that a scrape does not wait behind ingest.
  const databaseJobs = new TimescaleRepository(apiDb);
  jobs.watch(async () => (timeseries.backend === 'timescaledb' ? databaseJobs.jobs() : []));
  await timeseries.start();
  teardown.add('time series jobs', () => timeseries.stop());
  const alertConfig = new AlertConfigRepository(db);
  const alertPolicy = new AlertPolicy(
    alertConfig,
    { hysteresis: config.alerts, flap: config.alerts.flap },
    logger,
  );
  await alertPolicy.start(30);
  teardown.add('alert policy reload', () => alertPolicy.stop());
  const incidentRepo = new IncidentRepository(db);
  const alertTickets = new AlertTicketRepository(db);
  const ingest = new IngestService(
    new IngestRepository(db),
    events,
    metrics,
    alertPolicy,
    timeseries,
    logger,
    DEFAULT_GROUP_LIMITS,
    config.limits.ingest,
  );
  const incidents = new IncidentService(
    alertTickets,
    incidentRepo,
    alertConfig,
    alertPolicy,
    // Chart links in ticket text point at the web UI's own address when it is known.
    { ...config.alerts, webUrl: config.notify.webUrl },
    metrics,
    logger,
  );
  incidents.listen(events);
  const generatedAdminPassword = await new BootstrapService(tenants, users).ensureDefaults(
    config.adminPassword,
  );
  const identity = await startIdentity(db, users, config, logger, events);
  const userAdmin = new UserAdminService(
    new RoleRepository(db),
    tenants,
    events,
    identity.audit,
    identity.passwords,
  );
  // Every way in that acts for a user checks the route table and runs in the user's scope.
  const routeAccess = new RouteAccess(userAdmin, requestScope);

  const { tickets: ticketService, conversation, scanner } = helpdesk.services;
  if (scanner.enabled) metrics.watchScanner(async () => (await scanner.up()) === true);
  const knowledge = createKnowledge({
    db,
    tickets: ticketService,
    audit: identity.audit,
    fileLimits: {
      maxBytes: config.helpdesk.attachmentMaxBytes,
      types: config.helpdesk.attachmentTypes,
    },
  });
  const notify = createNotify({
    ...{ db, rootDb, apiDb, events, metrics, logger, ingest, conversation, scanner },
    knowledge: knowledge.knowledge,
    config: config.notify,
    tickets: ticketService,
    routes: routeAccess,
    audit: identity.audit,
    secrets: identity.secrets,
  });
  // Notifications and live events stop after what makes their work (broker, sweeps) has
  // stopped and the handlers it set off have run.
  teardown.add('notifications', () => notify.stop());
  teardown.add('event handlers', () => events.settled());
  // Acknowledged batches whose first verdicts are still to be emitted (ingest.service.ts).
  teardown.add('state changes of acknowledged batches', () => ingest.settled());

  // Rules that act on tickets and telemetry; jobs in PostgreSQL through pg-boss (docs/automation.md).
  const automation = createAutomation({
    ...{ db, rootDb, tickets, events, logger },
    helpdesk: helpdesk.services,
    audit: identity.audit,
    notify,
  });
  await automation.engine.start(url);
  // The tenant's dashboard by mail on a recurrence, through the notification outbox.
  const reportSchedules = new ReportSchedules(
    db,
    rootDb,
    new DashboardService(
      new ReportRepository(db),
      helpdesk.services.sla,
      helpdesk.services.availability,
    ),
    {
      repo: notify.repo,
      kick: () => notify.dispatcher.kick(),
      mail: config.notify.smtp !== undefined,
    },
    logger,
  );
  reportSchedules.start();
  teardown.add('scheduled reports', () => reportSchedules.stop());
  teardown.add('automation', () => automation.engine.stop());

  // Retention per tenant, hourly, once across hub processes (docs/privacy.md).
  const privacy = new PrivacyService(
    new RetentionRepository(db),
    new RetentionRepository(rootDb),
    rootDb,
    new PersonalDataRepository(db),
    identity.audit,
    { hubRoundsDays: config.timeseries.retentionDays },
    logger,
    events,
    jobs,
  );
  privacy.start(3600);
  teardown.add('retention job', () => privacy.stop());

  // Once across hub processes (docs/architecture.md "Scale"); whichever process holds the lock does it.
  await runExclusively(rootDb, 'bw:incident-reconcile', () => incidents.reconcile());
  incidents.start(config.alerts.sweepSeconds);
  teardown.add('incident sweep', () => incidents.stop());
  // The hub's own jobs (and TimescaleDB's) that keep failing open a ticket (docs/hub.md).
  const jobAlerts = new JobAlerts(alertTickets, jobs, { webUrl: config.notify.webUrl }, logger);
  jobAlerts.start(config.alerts.sweepSeconds);
  // A break-glass sign-in opens (or notes on) the tenant's alert ticket for its admins.
  const breakGlass = new BreakGlassAlerts(alertTickets, { webUrl: config.notify.webUrl }, logger);
  identity.auth.onBreakGlass = (user, client) => breakGlass.signedIn(user, client);
  teardown.add('hub job alerts', () => jobAlerts.stop());
  // The two sign-in alert jobs look at start and hourly, each holding a lock while it works:
  // they take turns, so two connections of the work pool are enough to start.
  const signInAlertJob = oneAtATime();
  // A SAML provider's IdP certificate ending within 14 days opens a ticket (docs/sso.md).
  const samlProviders = new IdentityProviderRepository(rootDb);
  const certificateAlerts = new SsoCertificateAlerts(
    alertTickets,
    async () =>
      (await samlProviders.list(null))
        .filter((p) => p.kind === 'saml')
        .map((p) => ({
          providerId: p.id,
          tenantId: p.tenantId,
          name: p.name,
          notAfter: idpCertificateFacts(p.settings as SamlIdpSettings).map((c) => c.notAfter),
        })),
    { webUrl: config.notify.webUrl },
    logger,
    (work) => signInAlertJob(() => runExclusively(rootDb, 'bw:sso-certificate-alerts', work)),
  );
  certificateAlerts.start(3600);
  teardown.add('certificate alerts', () => certificateAlerts.stop());
  // SHA-1 and clock skew seen in sign-ins open a ticket per provider and finding (docs/sso.md).
  const findingAlerts = new SsoFindingAlerts(
    alertTickets,
    (since) => recentSignInFindings(rootDb, since),
    (id) => providerName(rootDb, id),
    { webUrl: config.notify.webUrl },
    logger,
    (work) => signInAlertJob(() => runExclusively(rootDb, 'bw:sso-finding-alerts', work)),
  );
  findingAlerts.start(3600);
  teardown.add('sign-in finding alerts', () => findingAlerts.stop());
  // With an external broker, agents stay connected to it while a hub restarts.
  if (!config.mqtt.external) await agents.markAllOffline();

  // The broker needs the config service and the other way round: this closure is called only
  // once the broker exists (publishAll below, and API requests).
  const configs = new AgentConfigService(agents, checks, (address, config): Promise<void> =>
    broker.publishConfig(address, config),
  );
  const discovery = new DiscoveryService(new DiscoveryRepository(db), agents, branches);
  const brokerDeps = { agents: agentService, discovery, configReports: configs, ingest, metrics };
  const broker = config.mqtt.external
    ? await connectExternalBroker(
        { ...brokerDeps, logger, findAgent: (username) => agents.findByUsername(username) },
        config.mqtt.external,
      )
    : await createBroker({ ...brokerDeps, logger }, config.limits.mqtt);
  teardown.add('broker', () => broker.close());
  await configs.publishAll();
  helpdesk.start();
  teardown.add('helpdesk jobs', () => helpdesk.stop());
  notify.start();
  const mqttPort = await bound(
    'MQTT',
    config.mqtt,
    'BW_MQTT_PORT',
    broker.listen(config.mqtt.port, config.mqtt.host),
  );
  const tlsOptions = config.tls && readTlsFiles(config.tls);
  const secureServers: SecureServer[] = [];
  let mqttsPort: number | undefined;
  // An external broker serves MQTT over TLS itself.
  if (config.tls && tlsOptions && 'listenTls' in broker) {
    const { mqttPort: port, mqttHost: host } = config.tls;
    const mqtts = await bound(
      'MQTT over TLS',
      { host, port },
      'BW_MQTTS_PORT',
      broker.listenTls(port, host, tlsOptions),
    );
    mqttsPort = mqtts.port;
    secureServers.push(mqtts.server);
  }

  // Who may say who the client is (X-Forwarded-For): only the proxies an admin listed.
  const proxies = new TrustedProxies(config.http.trustedProxies);
  const app = buildApp({
    proxies,
    services: {
      ...identity,
      branches: new BranchService(branches, tenants, identity.audit),
      agents: agentService,
      checks: new CheckService(checks, agents),
      ...helpdesk.services,
      ...knowledge,
      live,
      reports: new ReportService(new ReportRepository(db), helpdesk.services.sla),
      dashboards: new DashboardService(
        new ReportRepository(db),
        helpdesk.services.sla,
        helpdesk.services.availability,
      ),
      automation: automation.service,
      privacy,
      reportSchedules,
      scim: new ScimService(new ScimRepository(db), new RoleRepository(db), identity.audit, events),
      portal: new PortalService(
        new PortalRepository(db),
        helpdesk.services.tickets,
        helpdesk.services.conversation,
        tickets,
        new TicketRelationsRepository(db),
      ),
      notify: notify.service,
      push: notify.push,
      inbox: new InboxRepository(db),
      configs,
      series: new SeriesService(timeseriesRepo, checks),
      discovery,
      alerts: new AlertService(alertConfig, incidentRepo, alertTickets, alertPolicy),
      enrollment: new EnrollmentService(new EnrollmentRepository(db), branches, agentService),
      agentUpdates: new AgentUpdateService(
        new ReleaseStore(`${config.dataDir}/releases`),
        new EnrollmentRepository(db),
        branches,
        agentService,
      ),
      userAdmin,
      tenants: new TenantService(tenants, identity.audit),
      sso: createSsoSignIn(db, users, identity, () => findingAlerts.look()),
    },
    routeAccess,
    requestScope,
    uploads: {
      dir: `${config.dataDir}/uploads`,
      maxBytes: config.helpdesk.attachmentMaxBytes,
      perUser: config.limits.http.uploadsPerUser,
    },
    readiness: {
      database: async () => (await db.raw('SELECT 1')).rowCount === 1,
      broker: () => broker.listening(),
      problems: () => embeddedProblems(embedded, config.limits.embeddedDownLimitSeconds),
      scanner: () => scanner.up(),
    },
    metrics,
    logger,
    webDir: config.webDir,
    address: publicAddress({
      origin: config.http.publicOrigin,
      mqttUrl: config.mqtt.publicUrl ?? withoutCredentials(config.mqtt.external?.url),
      mqttUrlAt: (host) =>
        mqttsPort ? `mqtts://${host}:${mqttsPort}` : `mqtt://${host}:${mqttPort}`,
    }),
    secureCookies: tlsOptions !== undefined,
  });
  const server = tlsOptions
    ? https.createServer({ ...tlsOptions, connectionsCheckingInterval: 5000 }, app.callback())
    : http.createServer({ connectionsCheckingInterval: 5000 }, app.callback());
  // A client gets this long to send a whole request, its body (an upload) included; then 408
  // and the connection is closed (Node checks every 30 s by default: every 5 s here).
  server.requestTimeout = config.limits.http.requestTimeoutSeconds * 1000;
  server.headersTimeout = Math.min(60_000, server.requestTimeout);
  if (server instanceof https.Server) secureServers.push(server);
  broker.attachWebSocket(server, '/mqtt', (request) => proxies.clientOf(request));
  await bound(
    'HTTP',
    config.http,
    'BW_HTTP_PORT',
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, resolve);
    }),
  );
  teardown.add('HTTP server', async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const httpPort = (server.address() as net.AddressInfo).port;
  logger.info(
    { httpPort, https: tlsOptions !== undefined, mqttPort, mqttsPort, webSocket: '/mqtt' },
    'hub is listening',
  );

  return {
    httpPort,
    mqttPort,
    mqttsPort,
    reloadTls() {
      if (!config.tls) return;
      const options = readTlsFiles(config.tls);
      for (const secure of secureServers) secure.setSecureContext(options);
      logger.info('TLS certificate reloaded');
    },
    generatedAdminPassword,
    startWarnings,
    usesEmbeddedDatabase: embedded !== undefined,
    automation: automation.engine,
    privacy,
    reportSchedules,
    incidents,
    async stop() {
      const failed = await teardown.run();
      if (failed.length) {
        throw new Error(`some parts of the hub did not stop cleanly: ${failed.join(', ')}`);
      }
      logger.info('hub stopped');
    },
  };
}

/** A port that cannot be taken fails the start with the address and the setting that chose it. */
async function bound<T>(
  what: string,
  at: { host: string; port: number },
  setting: string,
  listening: Promise<T>,
): Promise<T> {
  try {
    return await listening;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    const why = code === 'EADDRINUSE' ? 'the port is already in use' : 'permission denied';
    throw new Error(
      `cannot listen for ${what} on ${at.host}:${at.port}: ${why} (choose another with ${setting})`,
      { cause: err },
    );
  }
}

/**
 * The embedded PostgreSQL restarts by itself (db/embedded-postgres.ts); down for longer than
 * `limitSeconds` despite that, the hub tells a supervisor through /healthz that it cannot
 * recover alone.
 */
function embeddedProblems(embedded: EmbeddedDatabase | undefined, limitSeconds: number): string[] {
  const since = embedded?.health().downSince;
  if (!since || Date.now() - since.getTime() < limitSeconds * 1000) return [];
  const seconds = Math.round((Date.now() - since.getTime()) / 1000);
  return [`the embedded PostgreSQL has been down for ${seconds} s and does not start again`];
}

/** The external broker's URL as agents should be told it: without the hub's own login. */
function withoutCredentials(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}
