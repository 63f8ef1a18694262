import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { createLogger, loadConfig, startHub, type RunningHub } from '@branchwatch/hub';
import { createTestDatabase } from './database.js';
import { ApiClient } from './http.js';

export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestHub {
  hub: RunningHub;
  api: ApiClient;
  databaseUrl: string;
  mqttUrl: string;
  stop(): Promise<void>;
}

/**
 * A real hub in this process, on its own fresh database, on loopback ports of its choosing;
 * `logger` for a test that reads what the hub logs.
 */
export async function startTestHub(
  env: Record<string, string> = {},
  logger: ReturnType<typeof createLogger> = createLogger(process.env.BW_TEST_LOG ?? 'silent'),
): Promise<TestHub> {
  const databaseUrl = await createTestDatabase();
  // Attachments and the secret key file go to a folder of this hub's own, not the checkout.
  const dataDir = env.BW_DATA_DIR ? undefined : await mkdtemp(path.join(tmpdir(), 'bw-test-hub-'));
  const config = loadConfig({
    ...(dataDir ? { BW_DATA_DIR: dataDir } : {}),
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // A web build other than web/dist, e.g. one per developer building at the same time.
    ...(process.env.BW_TEST_WEB_DIR ? { BW_WEB_DIR: process.env.BW_TEST_WEB_DIR } : {}),
    ...env,
  });
  const hub = await startHub(config, logger);
  const api = new ApiClient(`http://127.0.0.1:${hub.httpPort}`);
  await api.login('admin', ADMIN_PASSWORD);
  return {
    hub,
    api,
    databaseUrl,
    mqttUrl: `mqtt://127.0.0.1:${hub.mqttPort}`,
    stop: async () => {
      await hub.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Connects an MQTT client as an agent would (MQTT 3.1.1, clean session). */
export function connectAgent(
  url: string,
  credentials: { username: string; password: string },
  clientId = credentials.username,
  /** Another loopback address to speak from (127.0.0.x), as a client elsewhere would. */
  localAddress?: string,
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const options = {
      clientId,
      username: credentials.username,
      password: credentials.password,
      protocolVersion: 4 as const,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    };
    // mqtt.js does not pass a local address to the socket: build the stream here then.
    const { hostname, port } = new URL(url);
    const client = localAddress
      ? new mqtt.MqttClient(
          () => net.connect({ host: hostname, port: Number(port), localAddress }),
          options,
        )
      : mqtt.connect(url, options);
    client.once('connect', () => resolve(client));
    // Closed before a CONNACK (refused at the socket): no 'error' comes.
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Publishes at QoS 1 and resolves on PUBACK. */
export function publish(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
): Promise<void> {
  return new Promise((resolve, reject) =>
    client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())),
  );
}
