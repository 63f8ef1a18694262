import type { z } from 'zod';
import { positiveInt } from './shared.js';

/**
 * Bounds that keep one client from stalling or swelling the hub (docs/security.md): what ingest
 * accepts from an agent, what the embedded broker accepts from a socket, database pools and
 * their timeouts, and how long an HTTP request and an upload may take.
 */
export const limitKeys = {
  BW_INGEST_MAX_FUTURE_SECONDS: positiveInt
    .max(30 * 86400)
    .default(86400)
    .describe(
      "A results batch with a round more than this far ahead of the hub's clock is refused (counted, acknowledged); rounds older than the retention are dropped.",
    ),
  BW_INGEST_MAX_CHECKS_PER_AGENT: positiveInt
    .max(100_000)
    .default(2000)
    .describe(
      "Most checks one results batch may name (an agent runs at most 1,000 of its file's and 1,000 of the hub's); a batch naming more is refused (counted, acknowledged).",
    ),
  BW_INGEST_QUEUE_BATCHES: positiveInt
    .max(1_000_000)
    .default(6000)
    .describe(
      "Results batches ingest holds at once, from their arrival until their PUBACK; further batches wait undecoded in the agents' connections, which the hub stops reading (backpressure).",
    ),
  BW_INGEST_QUEUE_BYTES: positiveInt
    .min(64 * 1024)
    .default(32 * 1024 * 1024)
    .describe(
      'Bytes of results payloads ingest holds at once (as BW_INGEST_QUEUE_BATCHES); a single larger batch is still taken alone.',
    ),
  BW_MQTT_MAX_PACKET_BYTES: positiveInt
    .min(64 * 1024)
    .default(2 * 1024 * 1024)
    .describe(
      'Largest MQTT packet an authenticated client may announce; a larger one closes the connection before it is read.',
    ),
  BW_MQTT_MAX_CONNECT_BYTES: positiveInt
    .min(1024)
    .default(16 * 1024)
    .describe(
      'Largest packet a client may announce before it has authenticated (its CONNECT, with the last will).',
    ),
  BW_MQTT_MAX_CONNECTIONS_PER_ADDRESS: positiveInt
    .default(256)
    .describe(
      'Open MQTT connections one client address may hold; more are closed at once (agents behind one NAT share an address).',
    ),
  BW_MQTT_MAX_AUTH_FAILURES_PER_ADDRESS: positiveInt
    .default(20)
    .describe(
      'Failed MQTT logins from one address within a minute before its connections are refused for a while (30 s, doubling to 15 min while failures go on).',
    ),
  BW_DB_API_POOL_SIZE: positiveInt
    .max(200)
    .default(10)
    .describe(
      'Database connections API requests may use, apart from ingest\'s: requests wait only for each other (bw_db_pool_wait_seconds{pool="api"}).',
    ),
  BW_DB_WORK_POOL_SIZE: positiveInt
    .max(200)
    .default(10)
    .describe(
      'Database connections of ingest, event listeners (tickets, notifications, live events) and background jobs, which no API request may take (bw_db_pool_wait_seconds{pool="work"}).',
    ),
  BW_DB_API_STATEMENT_TIMEOUT_SECONDS: positiveInt
    .max(3600)
    .default(30)
    .describe("Longest statement of an API request (PostgreSQL's statement_timeout)."),
  BW_DB_API_IDLE_IN_TRANSACTION_SECONDS: positiveInt
    .max(3600)
    .default(30)
    .describe(
      "Longest an API request's transaction may wait between statements (idle_in_transaction_session_timeout).",
    ),
  BW_HTTP_REQUEST_TIMEOUT_SECONDS: positiveInt
    .max(3600)
    .default(120)
    .describe(
      'Longest a client may take to send a request, its body included (uploads too); then 408 and the connection is closed.',
    ),
  BW_UPLOADS_PER_USER: positiveInt
    .max(100)
    .default(2)
    .describe('Uploads one user may have in progress at once; more get 429.'),
  BW_EMBEDDED_DB_DOWN_LIMIT_SECONDS: positiveInt
    .max(86400)
    .default(120)
    .describe(
      'The hub restarts its embedded PostgreSQL when it dies; down this long despite that, /healthz answers 503 so that a supervisor restarts the hub.',
    ),
};

type LimitSettings = z.infer<z.ZodObject<typeof limitKeys>>;

export interface HubLimits {
  ingest: {
    maxFutureSeconds: number;
    maxChecksPerAgent: number;
    queue: { maxBatches: number; maxBytes: number };
  };
  embeddedDownLimitSeconds: number;
  database: {
    apiPoolSize: number;
    workPoolSize: number;
    apiStatementTimeoutSeconds: number;
    apiIdleInTransactionSeconds: number;
  };
  http: { requestTimeoutSeconds: number; uploadsPerUser: number };
  mqtt: {
    maxPacketBytes: number;
    maxConnectBytes: number;
    maxConnectionsPerAddress: number;
    maxAuthFailuresPerAddress: number;
  };
}

export function limitsConfig(c: LimitSettings): HubLimits {
  return {
    ingest: {
      maxFutureSeconds: c.BW_INGEST_MAX_FUTURE_SECONDS,
      maxChecksPerAgent: c.BW_INGEST_MAX_CHECKS_PER_AGENT,
      queue: { maxBatches: c.BW_INGEST_QUEUE_BATCHES, maxBytes: c.BW_INGEST_QUEUE_BYTES },
    },
    embeddedDownLimitSeconds: c.BW_EMBEDDED_DB_DOWN_LIMIT_SECONDS,
    database: {
      apiPoolSize: c.BW_DB_API_POOL_SIZE,
      workPoolSize: c.BW_DB_WORK_POOL_SIZE,
      apiStatementTimeoutSeconds: c.BW_DB_API_STATEMENT_TIMEOUT_SECONDS,
      apiIdleInTransactionSeconds: c.BW_DB_API_IDLE_IN_TRANSACTION_SECONDS,
    },
    http: {
      requestTimeoutSeconds: c.BW_HTTP_REQUEST_TIMEOUT_SECONDS,
      uploadsPerUser: c.BW_UPLOADS_PER_USER,
    },
    mqtt: {
      maxPacketBytes: c.BW_MQTT_MAX_PACKET_BYTES,
      maxConnectBytes: c.BW_MQTT_MAX_CONNECT_BYTES,
      maxConnectionsPerAddress: c.BW_MQTT_MAX_CONNECTIONS_PER_ADDRESS,
      maxAuthFailuresPerAddress: c.BW_MQTT_MAX_AUTH_FAILURES_PER_ADDRESS,
    },
  };
}
