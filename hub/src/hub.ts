import http from 'node:http';
import type net from 'node:net';
import { buildApp } from './app.js';
import { createBroker } from './broker/broker.js';
import type { HubConfig } from './config.js';
import { connectDatabase, migrate } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { EventBus } from './events.js';
import type { Logger } from './logger.js';
import { HubMetrics } from './metrics.js';
import { AgentRepository } from './repositories/agent.repository.js';
import { BranchRepository } from './repositories/branch.repository.js';
import { CheckRepository } from './repositories/check.repository.js';
import { IngestRepository } from './repositories/ingest.repository.js';
import { SessionRepository } from './repositories/session.repository.js';
import { TenantRepository } from './repositories/tenant.repository.js';
import { TicketRepository } from './repositories/ticket.repository.js';
import { UserRepository } from './repositories/user.repository.js';
import { AgentConfigService } from './services/agent-config.service.js';
import { AgentService } from './services/agent.service.js';
import { DiscoveryService } from './services/discovery.service.js';
import { DiscoveryRepository } from './repositories/discovery.repository.js';
import { AuthService } from './services/auth.service.js';
import { BootstrapService } from './services/bootstrap.service.js';
import { BranchService } from './services/branch.service.js';
import { CheckService } from './services/check.service.js';
import { IncidentService } from './services/incident.service.js';
import { IngestService } from './services/ingest.service.js';
import { TicketService } from './services/ticket.service.js';
import { SeriesService } from './timeseries/series.service.js';
import { TimeseriesRepository } from './timeseries/timeseries.repository.js';
import { TimeseriesService } from './timeseries/timeseries.service.js';

export interface RunningHub {
  httpPort: number;
  mqttPort: number;
  /** The first admin's password when the hub generated it; shown once. */
  generatedAdminPassword: string | undefined;
  usesEmbeddedDatabase: boolean;
  stop(): Promise<void>;
}

/** The composition root: builds every part from the config and starts them in order. */
export async function startHub(config: HubConfig, logger: Logger): Promise<RunningHub> {
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) embedded = await startEmbeddedPostgres(config.dataDir, logger);
  const db = connectDatabase(config.databaseUrl ?? embedded!.url);
  const applied = await migrate(db);
  logger.info({ applied }, applied.length ? 'database migrated' : 'database schema is current');

  const metrics = new HubMetrics();
  const events = new EventBus(logger);
  const tenants = new TenantRepository(db);
  const branches = new BranchRepository(db);
  const agents = new AgentRepository(db);
  const users = new UserRepository(db);
  const checks = new CheckRepository(db);
  const tickets = new TicketRepository(db);

  const agentService = new AgentService(agents, branches);
  const timeseriesRepo = new TimeseriesRepository(db);
  const timeseries = new TimeseriesService(timeseriesRepo, config.timeseries, logger);
  await timeseries.start();
  const ingest = new IngestService(
    new IngestRepository(db),
    events,
    metrics,
    config.alerts,
    timeseries,
    logger,
  );
  const incidents = new IncidentService(tickets, checks, branches, metrics, logger);
  incidents.listen(events);

  const generatedAdminPassword = await new BootstrapService(tenants, users).ensureDefaults(
    config.adminPassword,
  );
  await incidents.reconcile();
  await agents.markAllOffline();

  // The broker needs the config service and the other way round: this closure is called only
  // once the broker exists (publishAll below, and API requests).
  const configs = new AgentConfigService(agents, checks, (address, config) =>
    broker.publishConfig(address, config),
  );
  const discovery = new DiscoveryService(new DiscoveryRepository(db), agents, branches);
  const broker = await createBroker({
    agents: agentService,
    discovery,
    configReports: configs,
    ingest,
    metrics,
    logger,
  });
  await configs.publishAll();
  const mqttPort = await broker.listen(config.mqtt.port, config.mqtt.host);

  const app = buildApp({
    services: {
      auth: new AuthService(users, new SessionRepository(db)),
      branches: new BranchService(branches, tenants),
      agents: agentService,
      checks: new CheckService(checks),
      tickets: new TicketService(tickets),
      configs,
      series: new SeriesService(timeseriesRepo, checks),
      discovery,
    },
    readiness: {
      database: async () => (await db.raw('SELECT 1')).rowCount === 1,
      broker: () => broker.listening(),
    },
    metrics,
    logger,
    webDir: config.webDir,
    mqttUrlFor: (host) => config.mqtt.publicUrl ?? `mqtt://${host}:${mqttPort}`,
  });
  const server = http.createServer(app.callback());
  broker.attachWebSocket(server, '/mqtt');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, resolve);
  });
  const httpPort = (server.address() as net.AddressInfo).port;
  logger.info({ httpPort, mqttPort, webSocket: '/mqtt' }, 'hub is listening');

  return {
    httpPort,
    mqttPort,
    generatedAdminPassword,
    usesEmbeddedDatabase: embedded !== undefined,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await broker.close();
      await timeseries.stop();
      await db.destroy();
      await embedded?.stop();
      logger.info('hub stopped');
    },
  };
}
