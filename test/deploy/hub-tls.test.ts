import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import {
  connectDatabase,
  createLogger,
  loadConfig,
  startHub,
  type Database,
  type RunningHub,
} from '@branchwatch/hub';
import { batch, tcpResult } from '../support/batches.js';
import { createTestDatabase } from '../support/database.js';
import { ADMIN_PASSWORD, publish } from '../support/hub.js';
import {
  HttpsApiClient,
  httpsGet,
  makeTestCertificates,
  type TestCertificates,
} from '../support/tls.js';

// The hub serving HTTPS and MQTT over TLS with certificates from files (docs/hub-install.md).
let dir: string;
let certs: TestCertificates;
let hub: RunningHub;
let db: Database;
let api: HttpsApiClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-tls-'));
  certs = makeTestCertificates(dir);
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_PORT: '0',
    BW_MQTTS_HOST: '127.0.0.1',
    BW_MQTTS_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BW_TLS_CERT_FILE: certs.certFile,
    BW_TLS_KEY_FILE: certs.keyFile,
  });
  expect(config.mqtt.host).toBe('127.0.0.1');
  hub = await startHub(config, createLogger(process.env.BW_TEST_LOG ?? 'silent'));
  db = connectDatabase(databaseUrl);
  api = new HttpsApiClient(`https://127.0.0.1:${hub.httpPort}`, certs.ca);
  await api.login('admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await db?.destroy();
  await hub?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect(url: string, credentials: { username: string; password: string }, ca?: string) {
  return new Promise<mqtt.MqttClient>((resolve, reject) => {
    const client = mqtt.connect(url, {
      clientId: credentials.username,
      username: credentials.username,
      password: credentials.password,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...(ca ? { ca } : {}),
    });
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

describe('hub with TLS from files', () => {
  it('answers /readyz over HTTPS, verified against the CA', async () => {
    const res = await httpsGet(`https://127.0.0.1:${hub.httpPort}/readyz`, certs.ca);
    expect(res.status).toBe(200);
  });

  it('stores a batch an agent publishes over mqtts:// with the CA', async () => {
    expect(hub.mqttsPort).toBeGreaterThan(0);
    const issued = await api.createAgent('tls-branch', 'tls-agent');
    // The config handed to a new agent points at MQTT over TLS.
    expect(issued.config).toContain(`mqtts://127.0.0.1:${hub.mqttsPort}`);
    const agent = await connect(`mqtts://127.0.0.1:${hub.mqttsPort}`, issued.credentials, certs.ca);
    const address = { tenant: 'default', branch: 'tls-branch', agent: 'tls-agent' };
    const at = new Date(Date.UTC(2026, 10, 21, 8, 0, 0));
    await publish(
      agent,
      topics.results(address),
      JSON.stringify(batch('tls-agent', 7, [tcpResult('web', at, true)])),
    );
    agent.end(true);
    const stored = await db('check_results as r')
      .join('checks as c', 'c.id', 'r.check_id')
      .join('agents as a', 'a.id', 'c.agent_id')
      .where('a.slug', 'tls-agent')
      .select('c.key', 'r.status', 'r.batch_seq');
    expect(stored).toEqual([{ key: 'web', status: 'ok', batch_seq: 7 }]);
  });

  it('also serves MQTT over WebSocket as wss:// on the HTTPS port', async () => {
    const issued = await api.createAgent('wss-branch', 'wss-agent');
    const agent = await connect(
      `wss://127.0.0.1:${hub.httpPort}/mqtt`,
      issued.credentials,
      certs.ca,
    );
    expect(agent.connected).toBe(true);
    agent.end(true);
  });

  it('refuses a client that does not trust the CA', async () => {
    const issued = await api.createAgent('untrusting', 'untrusting-agent');
    const error = await connect(`mqtts://127.0.0.1:${hub.mqttsPort}`, issued.credentials).then(
      (client) => {
        client.end(true);
        return undefined;
      },
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(error?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const https = await httpsGet(`https://127.0.0.1:${hub.httpPort}/readyz`, undefined).catch(
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(https).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('serves a renewed certificate after reloadTls (SIGHUP)', async () => {
    const before = await peerSerial(hub.mqttsPort!);
    const renewed = makeTestCertificates(fs.mkdtempSync(path.join(dir, 'renewed-')));
    fs.copyFileSync(renewed.certFile, certs.certFile);
    fs.copyFileSync(renewed.keyFile, certs.keyFile);
    hub.reloadTls();
    const after = await peerSerial(hub.mqttsPort!);
    expect(after).not.toBe(before);
    // A broken file is refused and the served certificate stays.
    fs.writeFileSync(certs.keyFile, 'not a key');
    expect(() => hub.reloadTls()).toThrow();
    expect(await peerSerial(hub.mqttsPort!)).toBe(after);
  });
});

async function peerSerial(port: number): Promise<string> {
  const tls = await import('node:tls');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.once('error', reject);
  });
}
