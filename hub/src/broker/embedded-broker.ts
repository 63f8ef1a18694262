import net from 'node:net';
import tls from 'node:tls';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Aedes, type Client, type PublishPacket, type Subscription } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import {
  decodeAgentStatus,
  decodeEvents,
  decodeInventory,
  decodeResultsBatch,
  isInSubtree,
  mqttClientId,
  parseTopic,
  topics,
  encodeAgentConfig,
  type AgentAddress,
  type AgentConfig,
  type ContractDecodeError,
} from '@branchwatch/contract';
import type { Logger } from '../core/logger.js';
import type { HubMetrics, RejectReason } from '../core/metrics.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import type { AgentConfigService } from '../fleet/agent-config.service.js';
import type { AgentService } from '../fleet/agent.service.js';
import type { DiscoveryService } from '../fleet/discovery.service.js';
import type { IngestService } from '../ingest/ingest.service.js';

export interface BrokerDeps {
  agents: AgentService;
  discovery: Pick<DiscoveryService, 'recordInventory' | 'recordEvents'>;
  /** Told what an agent reports about its config on the status topic. */
  configReports: Pick<AgentConfigService, 'recordReport'>;
  ingest: IngestService;
  metrics: HubMetrics;
  logger: Logger;
}

export interface EmbeddedBroker {
  aedes: Aedes;
  /** Listens for MQTT over TCP; resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** Listens for MQTT over TLS; resolves with the bound port and the server, for reloads. */
  listenTls(
    port: number,
    host: string,
    options: tls.TlsOptions,
  ): Promise<{ port: number; server: tls.Server }>;
  /** Serves MQTT over WebSocket at `path` on an existing HTTP server. */
  attachWebSocket(server: HttpServer, path: string): void;
  /** Publishes an agent's config, retained, so that it gets it on every (re)connect. */
  publishConfig(address: AgentAddress, config: AgentConfig): Promise<void>;
  listening(): boolean;
  close(): Promise<void>;
}

/** Topic kinds an agent may publish to, inside its own subtree only. */
const AGENT_PUBLISHES = new Set(['results', 'status', 'inventory', 'events']);

/**
 * The embedded aedes broker. Deny by default (aedes lets everyone in unless told otherwise):
 * every client is an agent with its own credentials, confined to its own topic subtree.
 *
 * Ingest runs inside `authorizePublish`, because aedes sends the PUBACK of a QoS 1 message
 * right after that hook calls back and before subscribers see the message. Calling back only
 * after the commit is what makes "acknowledged" mean "stored" (DESIGN.md "Delivery").
 */
export async function createBroker(deps: BrokerDeps): Promise<EmbeddedBroker> {
  const { metrics, logger } = deps;
  const principals = new WeakMap<Client, AgentRow>();
  // The live connection of each agent. A reconnecting agent's old connection may report its
  // end after the new one began; only the live one may mark the agent offline.
  const live = new Map<string, Client>();

  const reject = (reason: RejectReason, detail: Record<string, unknown>, message: string) => {
    metrics.rejected.inc({ reason });
    logger.warn({ reason, ...detail }, message);
  };

  const aedes = await Aedes.createBroker({
    // Agent client ids are tenant.branch.agent and may be long; MQTT 3.1.1 allows it.
    maxClientsIdLength: 200,
    connectTimeout: 10_000,
    drainTimeout: 30_000,

    authenticate(client, username, password, done) {
      const fail = (reason: RejectReason) => {
        reject(reason, { clientId: client.id, username }, 'MQTT connection refused');
        const err = Object.assign(new Error('bad username or password'), { returnCode: 4 });
        done(err, false);
      };
      if (!username || !password) return fail('bad_credentials');
      deps.agents.authenticate(username, password.toString('utf8')).then(
        (agent) => {
          if (!agent) return fail('bad_credentials');
          if (client.id !== mqttClientId(agent.address)) return fail('client_id_mismatch');
          principals.set(client, agent);
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err }, 'agent authentication failed');
          done(Object.assign(new Error('server unavailable'), { returnCode: 3 }), false);
        },
      );
    },

    authorizeSubscribe(client, subscription, done) {
      const agent = principals.get(client);
      if (agent && subscription.topic === topics.config(agent.address)) {
        return done(null, subscription);
      }
      reject(
        'topic_denied',
        { clientId: client.id, topic: subscription.topic },
        'subscribe denied',
      );
      // A null subscription is refused in the SUBACK without dropping the connection.
      done(null, null as unknown as Subscription);
    },

    authorizePublish(client, packet, done) {
      const agent = client ? principals.get(client) : undefined;
      const parsed = parseTopic(packet.topic);
      if (
        !agent ||
        !parsed ||
        !AGENT_PUBLISHES.has(parsed.kind) ||
        !isInSubtree(packet.topic, agent.address)
      ) {
        reject('topic_denied', { clientId: client?.id, topic: packet.topic }, 'publish denied');
        // [MQTT-3.3.5-2]: the server closes the connection of a client it will not serve.
        return done(new Error(`publish to ${packet.topic} is not allowed`));
      }
      const handlers: Record<string, () => Promise<void>> = {
        results: () => ingestResults(agent, packet),
        status: () => recordStatus(agent, client!, packet),
        inventory: () => recordInventory(agent, packet),
        events: () => recordEvents(agent, packet),
      };
      const work = handlers[parsed.kind]!();
      work.then(
        () => done(null),
        (err: unknown) => {
          metrics.ingestErrors.inc();
          logger.error(
            { err, agent: agent.username },
            'could not store a message; the agent will resend it',
          );
          done(new Error('storage unavailable'));
        },
      );
    },
  });

  /** Stores a batch. A payload that breaks the contract is counted and acknowledged. */
  async function ingestResults(agent: AgentRow, packet: PublishPacket): Promise<void> {
    const decoded = decodeResultsBatch(packet.payload as Buffer);
    if (!decoded.ok) return refusePayload(agent, packet, decoded.error);
    if (decoded.value.agent !== agent.address.agent) {
      reject(
        'agent_mismatch',
        { agent: agent.username, claimed: decoded.value.agent },
        'batch names another agent',
      );
      return;
    }
    await deps.ingest.storeBatch(agent, decoded.value);
  }

  async function recordStatus(agent: AgentRow, client: Client, packet: PublishPacket) {
    const decoded = decodeAgentStatus(packet.payload as Buffer);
    if (!decoded.ok) return refusePayload(agent, packet, decoded.error);
    const { state, version, config, spool } = decoded.value;
    if (state === 'offline' && live.get(agent.id) !== client) return;
    await deps.agents.setStatus(agent.id, state === 'online', new Date(), version ?? null);
    if (config) await deps.configReports.recordReport(agent.id, config);
    if (spool) await deps.agents.recordSpool(agent.id, spool);
  }

  async function recordInventory(agent: AgentRow, packet: PublishPacket): Promise<void> {
    const decoded = decodeInventory(packet.payload as Buffer);
    if (!decoded.ok) return refusePayload(agent, packet, decoded.error);
    if (decoded.value.agent !== agent.address.agent) {
      return reject('agent_mismatch', { agent: agent.username }, 'inventory names another agent');
    }
    await deps.discovery.recordInventory(agent, decoded.value);
  }

  async function recordEvents(agent: AgentRow, packet: PublishPacket): Promise<void> {
    const decoded = decodeEvents(packet.payload as Buffer);
    if (!decoded.ok) return refusePayload(agent, packet, decoded.error);
    if (decoded.value.agent !== agent.address.agent) {
      return reject('agent_mismatch', { agent: agent.username }, 'events name another agent');
    }
    await deps.discovery.recordEvents(agent, decoded.value.events);
  }

  // Dropping a bad payload but acknowledging it keeps the agent's later batches flowing: the
  // same bytes resent would be refused again forever.
  function refusePayload(agent: AgentRow, packet: PublishPacket, error: ContractDecodeError) {
    reject(
      error.code,
      { agent: agent.username, topic: packet.topic, field: error.field, detail: error.detail },
      'payload refused',
    );
  }

  aedes.on('client', (client) => {
    const agent = principals.get(client);
    if (!agent) return;
    live.set(agent.id, client);
    metrics.agentsConnected.set(live.size);
  });
  aedes.on('clientDisconnect', (client) => {
    const agent = principals.get(client);
    if (!agent || live.get(agent.id) !== client) return;
    live.delete(agent.id);
    metrics.agentsConnected.set(live.size);
    // Also covers a clean disconnect, after which the broker sends no last will.
    deps.agents.setStatus(agent.id, false, new Date(), null).catch((err: unknown) => {
      logger.error({ err, agent: agent.username }, 'could not record agent offline');
    });
  });
  aedes.on('clientError', (client, err) => {
    logger.debug({ clientId: client.id, err: err.message }, 'MQTT client error');
  });

  const tcp = net.createServer((socket) => aedes.handle(socket));
  let secure: tls.Server | undefined;
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws, request) => aedes.handle(createWebSocketStream(ws), request));

  return {
    aedes,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => resolve((tcp.address() as net.AddressInfo).port));
      }),
    listenTls: (port, host, options) =>
      new Promise((resolve, reject) => {
        const server = tls.createServer(options, (socket) => aedes.handle(socket));
        // A client that fails the handshake (wrong CA, plain MQTT) is its own problem.
        server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'MQTT TLS error'));
        secure = server;
        server.once('error', reject);
        server.listen(port, host, () =>
          resolve({ port: (server.address() as net.AddressInfo).port, server }),
        );
      }),
    attachWebSocket(server, path) {
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (new URL(request.url ?? '/', 'http://hub').pathname !== path) return socket.destroy();
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      });
    },
    publishConfig: (address, config) =>
      new Promise<void>((resolve, reject) =>
        aedes.publish(
          {
            cmd: 'publish',
            topic: topics.config(address),
            payload: Buffer.from(encodeAgentConfig(config)),
            qos: 1,
            retain: true,
            dup: false,
          },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    listening: () => tcp.listening && !aedes.closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        tcp.close();
        secure?.close();
        aedes.close(() => resolve());
      }),
  };
}
