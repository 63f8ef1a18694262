import type tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Aedes, type Client, type Subscription } from 'aedes';
import {
  isInSubtree,
  mqttClientId,
  parseTopic,
  topics,
  encodeAgentConfig,
  type AgentAddress,
  type AgentConfig,
} from '@branchwatch/contract';
import type { RejectReason } from '../core/metrics.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import {
  AGENT_PUBLISHED_KINDS,
  agentMessageHandler,
  rejecter,
  type BrokerDeps,
} from './agent-messages.js';
import { ConnectionGuard, type ConnectionLimits } from './connection-guard.js';
import { mqttListeners } from './mqtt-listeners.js';

export type { BrokerDeps } from './agent-messages.js';

/** The bounds hub/src/config/limits.ts gives by default. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxPacketBytes: 2 * 1024 * 1024,
  maxConnectBytes: 16 * 1024,
  maxConnectionsPerAddress: 256,
  maxAuthFailuresPerAddress: 20,
};

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
  /**
   * Serves MQTT over WebSocket at `path` on an existing HTTP server; `clientOf` names the
   * client's address behind a trusted proxy (http/trusted-proxy.ts).
   */
  attachWebSocket(
    server: HttpServer,
    path: string,
    clientOf?: (request: IncomingMessage) => string,
  ): void;
  /** Publishes an agent's config, retained, so that it gets it on every (re)connect. */
  publishConfig(address: AgentAddress, config: AgentConfig): Promise<void>;
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * The embedded aedes broker. Deny by default (aedes lets everyone in unless told otherwise):
 * every client is an agent with its own credentials, confined to its own topic subtree.
 *
 * Ingest runs inside `authorizePublish`, because aedes sends the PUBACK of a QoS 1 message
 * right after that hook calls back and before subscribers see the message. Calling back only
 * after the commit is what makes "acknowledged" mean "stored" (docs/architecture.md "Delivery").
 */
export async function createBroker(
  deps: BrokerDeps,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
): Promise<EmbeddedBroker> {
  const { metrics, logger } = deps;
  const principals = new WeakMap<Client, AgentRow>();
  // The live connection of each agent. A reconnecting agent's old connection may report its
  // end after the new one began; only the live one may mark the agent offline.
  const live = new Map<string, Client>();
  // Offline marks being written; close() waits for them, so none meets a closed pool.
  const offlineWrites = new Set<Promise<void>>();

  const reject = rejecter(deps);
  const messages = agentMessageHandler(deps);
  const guard = new ConnectionGuard(limits, reject);

  const aedes = await Aedes.createBroker({
    // Agent client ids are tenant.branch.agent and may be long; MQTT 3.1.1 allows it.
    maxClientsIdLength: 200,
    connectTimeout: 10_000,
    drainTimeout: 30_000,

    authenticate(client, username, password, done) {
      const conn = client.conn as unknown as Duplex;
      const address = guard.addressOf(conn) ?? 'unknown';
      // An address that keeps failing is not worth another argon2 hash for a while; "server
      // unavailable" makes an agent retry later rather than give up.
      if (guard.banned(address)) {
        reject('auth_throttled', { clientId: client.id, address }, 'MQTT login refused');
        return done(Object.assign(new Error('try later'), { returnCode: 3 }), false);
      }
      const fail = (reason: RejectReason) => {
        guard.failed(address);
        reject(reason, { clientId: client.id, username, address }, 'MQTT connection refused');
        const err = Object.assign(new Error('bad username or password'), { returnCode: 4 });
        done(err, false);
      };
      if (!username || !password) return fail('bad_credentials');
      deps.agents.authenticate(username, password.toString('utf8')).then(
        (agent) => {
          if (!agent) return fail('bad_credentials');
          if (client.id !== mqttClientId(agent.address)) return fail('client_id_mismatch');
          principals.set(client, agent);
          guard.authenticated(conn);
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
        !AGENT_PUBLISHED_KINDS.includes(parsed.kind) ||
        !isInSubtree(packet.topic, agent.address)
      ) {
        reject('topic_denied', { clientId: client?.id, topic: packet.topic }, 'publish denied');
        // [MQTT-3.3.5-2]: the server closes the connection of a client it will not serve.
        return done(new Error(`publish to ${packet.topic} is not allowed`));
      }
      const work = messages.handle({
        agent,
        kind: parsed.kind,
        topic: packet.topic,
        payload: packet.payload as Buffer,
        fromLiveConnection: live.get(agent.id) === client,
      });
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
    const write = messages.markOffline(agent).catch((err: unknown) => {
      logger.error({ err, agent: agent.username }, 'could not record agent offline');
    });
    offlineWrites.add(write);
    void write.finally(() => offlineWrites.delete(write));
  });
  aedes.on('clientError', (client, err) => {
    logger.debug({ clientId: client.id, err: err.message }, 'MQTT client error');
  });

  const listeners = mqttListeners(aedes, guard, limits.maxPacketBytes, logger);

  return {
    aedes,
    ...listeners,
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
    listening: () => listeners.listening() && !aedes.closed,
    close: async () => {
      listeners.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all(offlineWrites);
    },
  };
}
