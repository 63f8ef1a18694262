import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  encodeAgentConfig,
  mqttClientId,
  parseTopic,
  topics,
  type AgentAddress,
  type AgentConfig,
  type ParsedTopic,
} from '@branchwatch/contract';
import type { ExternalBrokerConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import {
  AGENT_PUBLISHED_KINDS,
  agentMessageHandler,
  rejecter,
  type BrokerDeps,
} from './agent-messages.js';

/** The shared-subscription group every hub process joins (MQTT 5 §4.8.2). */
export const INGEST_SHARE_GROUP = 'bw-ingest';
/** How long a DB failure waits before the worker reconnects to get the message again. */
const REDELIVERY_DELAY_MS = 1000;
/** How long an agent looked up by its address is trusted before it is looked up again. */
const AGENT_CACHE_MS = 60_000;

export interface ExternalBrokerDeps extends BrokerDeps {
  /** The agent with this MQTT username (tenant.branch.agent), or undefined. */
  findAgent(username: string): Promise<AgentRow | undefined>;
}

/**
 * Ingest through an external MQTT 5 broker (docs/architecture.md "Delivery" and "Scale"). Each worker is
 * an MQTT 5 client with a persistent session (stable client id, clean start off, a session
 * expiry) and one shared subscription per topic kind, so that the broker splits the agents'
 * messages between every worker of every hub process.
 *
 * A message is acknowledged only after it is committed (mqtt.js `customHandleAcks`, honoured
 * on MQTT 5 only). A payload that breaks the contract is counted and acknowledged, as with the
 * embedded broker. A database failure is not acknowledged: the worker drops its connection and
 * comes back to the same session, and [MQTT-4.4.0-1] makes the broker send the unacknowledged
 * PUBLISH again. mqtt.js handles one incoming packet at a time per connection, which is why a
 * hub runs several workers.
 *
 * Authentication and topic ACLs of agents are the broker's job here (deploy/mosquitto).
 */
export async function connectExternalBroker(
  deps: ExternalBrokerDeps,
  config: ExternalBrokerConfig,
) {
  const { logger } = deps;
  const route = messageRouter(deps);
  const workers = await Promise.all(
    Array.from({ length: config.workers }, (_, i) =>
      startWorker(`${config.clientId}-${i}`, config, route, logger),
    ),
  );
  const publisher = workers[0]!;
  const url = new URL(config.url);
  logger.info(
    { broker: `${url.protocol}//${url.host}`, clientId: config.clientId, workers: workers.length },
    'ingesting from an external MQTT broker',
  );

  return {
    /** Nothing to listen on: agents connect to the external broker. Returns its port. */
    listen: async (): Promise<number> =>
      Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883)),
    /** The external broker serves MQTT over WebSocket itself, if configured to. */
    attachWebSocket(): void {},
    /** Publishes an agent's config, retained, on the external broker. */
    publishConfig: (address: AgentAddress, agentConfig: AgentConfig) =>
      new Promise<void>((resolve, reject) =>
        publisher.publish(
          topics.config(address),
          Buffer.from(encodeAgentConfig(agentConfig)),
          { qos: 1, retain: true },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    listening: () => workers.every((w) => w.connected),
    close: async () => {
      // Not a clean disconnect of the session: it stays on the broker for the next start.
      await Promise.all(workers.map((w) => w.endAsync()));
    },
  };
}

type Route = (topic: string, payload: Buffer) => Promise<void>;

function startWorker(
  clientId: string,
  config: ExternalBrokerConfig,
  route: Route,
  logger: Logger,
): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId,
    clean: false,
    properties: {
      sessionExpiryInterval: config.sessionExpirySeconds,
      // Messages the broker may have in flight to this worker; they queue in the socket while
      // the worker stores the one before.
      receiveMaximum: 100,
    },
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // Subscriptions live in the persistent session; they are made below when it is new.
    resubscribe: false,
    customHandleAcks(topic, message, _packet, done) {
      route(topic, message).then(
        () => done(0),
        (err: unknown) => {
          logger.error(
            { err, topic, clientId },
            'could not store a message; the broker resends it',
          );
          // Not acknowledged. The broker resends only on a new connection of the session
          // ([MQTT-4.4.0-1]), so the worker reconnects after a pause.
          setTimeout(() => client.stream?.destroy(), REDELIVERY_DELAY_MS).unref();
        },
      );
    },
  };
  const client = mqtt.connect(config.url, options);
  const filters = Object.fromEntries(
    AGENT_PUBLISHED_KINDS.map((kind) => [
      topics.sharedEveryAgent(INGEST_SHARE_GROUP, kind),
      { qos: 1 as const },
    ]),
  );
  // The subscription made on the first connection: the worker counts as started (and the
  // hub as ready) only once the broker has granted it. Until then, a new session would miss
  // results, and a shared subscription nobody has joined yet drops them.
  let subscribing: Promise<void> | undefined;
  client.on('connect', (connack) => {
    if (connack.sessionPresent) return;
    const subscribed = new Promise<void>((resolve, reject) =>
      client.subscribe(filters, (err, granted) => {
        const refused = granted?.filter((g) => g.qos >= 0x80) ?? [];
        if (err) reject(err);
        else if (refused.length > 0) {
          const which = refused.map((g) => `${g.topic} (reason code ${g.qos})`).join(', ');
          reject(new Error(`the external broker refused the subscription to ${which}`));
        } else resolve();
      }),
    );
    subscribed.catch((err: unknown) =>
      logger.error({ err, clientId }, 'could not subscribe on the external broker'),
    );
    subscribing ??= subscribed;
  });
  client.on('error', (err) => logger.warn({ err: err.message, clientId }, 'external MQTT error'));
  client.on('offline', () => logger.warn({ clientId }, 'external MQTT broker unreachable'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`external MQTT broker did not accept ${clientId} within 30 s`));
    }, 30_000);
    client.once('connect', () => {
      (subscribing ?? Promise.resolve()).then(
        () => {
          clearTimeout(timer);
          resolve(client);
        },
        (err: unknown) => {
          clearTimeout(timer);
          client.end(true);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  });
}

/** Finds the agent a message's topic names and hands the message to the shared handler. */
function messageRouter(deps: ExternalBrokerDeps): Route {
  const reject = rejecter(deps);
  const { handle } = agentMessageHandler(deps);
  const cache = new Map<string, { agent: AgentRow; until: number }>();

  async function agentOf(parsed: ParsedTopic): Promise<AgentRow | undefined> {
    const username = mqttClientId(parsed);
    const hit = cache.get(username);
    if (hit && hit.until > Date.now()) return hit.agent;
    const found = await deps.findAgent(username);
    if (found) cache.set(username, { agent: found, until: Date.now() + AGENT_CACHE_MS });
    return found;
  }

  return async (topic, payload) => {
    const parsed = parseTopic(topic);
    const published = parsed && AGENT_PUBLISHED_KINDS.includes(parsed.kind);
    // The broker's ACL admits only enrolled agents to their own subtree; a message from an
    // unknown agent means the broker's files are stale, and is dropped (acknowledged).
    const agent = published ? await agentOf(parsed) : undefined;
    if (!parsed || !agent) {
      return reject('topic_denied', { topic }, 'message from no known agent');
    }
    await handle({ agent, kind: parsed.kind, topic, payload });
  };
}

export type ExternalBroker = Awaited<ReturnType<typeof connectExternalBroker>>;
