import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connectDatabase, freeLoopbackPort, type Database } from '@branchwatch/hub';
import { launchBrowser } from './support/browser.js';
import { ApiClient, waitFor } from './support/http.js';
import { AGENT_BIN, HUB_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * The walking skeleton, end to end, with every component real: the hub as its own process with
 * its embedded PostgreSQL and broker, the agent as its own process running fping and TCP
 * connects against loopback, and a person's view in headless Chromium.
 */
const ADMIN_PASSWORD = 'e2e-admin-password';

let work: string;
let hub: Started;
let agent: Started | undefined;
let db: Database;
let api: ApiClient;
let closedPort: number;
let listener: net.Server | undefined;

interface CheckView {
  id: string;
  key: string;
  state: string;
}
interface TicketView {
  id: string;
  subject: string;
  state: string;
  checkId: string;
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-e2e-'));
  await fs.chmod(work, 0o755);
  const [httpPort, mqttPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  hub = startNode(
    HUB_BIN,
    [],
    {
      BW_DATA_DIR: path.join(work, 'hub-data'),
      BW_HTTP_HOST: '127.0.0.1',
      BW_HTTP_PORT: String(httpPort),
      BW_MQTT_HOST: '127.0.0.1',
      BW_MQTT_PORT: String(mqttPort),
      BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    path.join(work, 'hub.log'),
  );
  api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  await waitFor(
    'the hub to be ready',
    async () => ((await api.get('/readyz')) ? true : undefined),
    90_000,
  );
  db = connectDatabase(await embeddedDatabaseUrl(hub, path.join(work, 'hub-data')));
  await api.login('admin', ADMIN_PASSWORD);
  closedPort = await freeLoopbackPort();
});

afterAll(async () => {
  listener?.close();
  if (agent) await stop(agent);
  await db?.destroy();
  if (hub) await stop(hub);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** The embedded server's URL, from the hub's own log line and its credentials file. */
async function embeddedDatabaseUrl(p: Started, dataDir: string): Promise<string> {
  const line = p
    .output()
    .split('\n')
    .find((l) => l.includes('embedded PostgreSQL is up'));
  const port = (JSON.parse(line!) as { port: number }).port;
  const { user, password } = JSON.parse(
    await fs.readFile(path.join(dataDir, 'postgres-credentials.json'), 'utf8'),
  ) as { user: string; password: string };
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/branchwatch`;
}

describe('branch agent → MQTT → hub → PostgreSQL → ticket → browser', () => {
  it('creates an agent whose config the agent accepts, and runs it', async () => {
    const issued = await api.createAgent('hq', 'srv-01');
    const config = parse(issued.config) as Record<string, unknown>;
    config.spool = { dir: path.join(work, 'spool') };
    config.batch = { intervalSeconds: 0.5 };
    config.checks = [
      {
        id: 'gateway',
        type: 'icmp',
        target: '127.0.0.1',
        intervalSeconds: 1,
        timeoutSeconds: 5,
        options: { count: 5, periodMs: 20, perPingTimeoutMs: 500 },
      },
      {
        id: 'pbx',
        type: 'tcp',
        target: `127.0.0.1:${closedPort}`,
        intervalSeconds: 0.5,
        timeoutSeconds: 2,
      },
    ];
    const file = path.join(work, 'agent.yaml');
    await fs.writeFile(file, stringify(config));
    agent = startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(work, 'agent.log'));
    const { items } = await waitFor('the agent online', async () => {
      const agents = await api.get<{ items: { online: boolean }[] }>('/api/v1/agents');
      return agents.items[0]?.online ? agents : undefined;
    });
    expect(items).toHaveLength(1);
  });

  it('stores ICMP rounds with plausible values', async () => {
    const rows = await waitFor('three ICMP rounds in PostgreSQL', async () => {
      const r = await db('check_results as r')
        .join('checks as c', 'c.id', 'r.check_id')
        .where('c.key', 'gateway')
        .select('r.status', 'r.fields', 'r.samples');
      return r.length >= 3 ? r : undefined;
    });
    for (const row of rows) {
      expect(row.status).toBe('ok');
      expect(row.fields).toMatchObject({ sent: 5, received: 5, loss: 0 });
      const { min, median, p95, max, jitter } = row.fields as Record<string, number> & {
        min: number;
        median: number;
        p95: number;
        max: number;
        jitter: number;
      };
      expect(min).toBeGreaterThan(0);
      expect(min).toBeLessThanOrEqual(median);
      expect(median).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(max);
      expect(max).toBeLessThan(50); // loopback
      expect(jitter).toBeGreaterThanOrEqual(0);
      expect(row.samples).toHaveLength(5);
    }
  });

  it('opens a ticket for the failing check only, and shows it in the browser', async () => {
    const ticket = await waitFor('a ticket for the closed port', async () => {
      const { items } = await api.get<{ items: TicketView[] }>('/api/v1/tickets?state=active');
      return items[0];
    });
    const { items: checks } = await api.get<{ items: CheckView[] }>('/api/v1/checks');
    const byKey = Object.fromEntries(checks.map((c) => [c.key, c]));
    expect(byKey.pbx?.state).toBe('failing');
    expect(byKey.gateway?.state).toBe('ok');
    expect(ticket.checkId).toBe(byKey.pbx?.id);
    expect(ticket.subject).toBe('Telephone system down at hq');
    const failed = await db('check_results').where({ check_id: byKey.pbx!.id }).first();
    expect(failed).toMatchObject({ status: 'failed', reason: 'connection refused' });

    // A person logs in and sees the failing check and its ticket.
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(api.baseUrl);
      await page.getByTestId('login-username').fill('admin');
      await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
      await page.getByTestId('login-submit').click();
      const failing = page.locator('[data-testid=check-row][data-state=failing]');
      await failing.first().waitFor({ timeout: 15_000 });
      expect(await failing.count()).toBe(1);
      expect(await failing.first().innerText()).toContain(`127.0.0.1:${closedPort}`);
      const okRow = page.locator('[data-testid=check-row][data-state=ok]');
      expect(await okRow.first().innerText()).toContain('127.0.0.1');
      const ticketRow = page.getByTestId('ticket-row');
      await ticketRow.first().waitFor();
      expect(await ticketRow.count()).toBe(1);
      expect(await ticketRow.first().innerText()).toContain(String(ticket.subject));
    } finally {
      await browser.close();
    }
  });

  it('resolves the ticket with the downtime once the port opens', async () => {
    listener = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener!.listen(closedPort, '127.0.0.1', resolve));
    const resolved = await waitFor('the ticket resolved', async () => {
      const { items } = await api.get<{ items: TicketView[] }>('/api/v1/tickets');
      return items[0]?.state === 'resolved' ? items[0] : undefined;
    });
    const { events } = await api.get<{ events: { kind: string; body: string }[] }>(
      `/api/v1/tickets/${resolved.id}`,
    );
    expect(events.map((e) => e.kind)).toEqual(['opened', 'recovered', 'resolved']);
    expect(events[1]!.body).toMatch(/^Recovered at .* after (\d+ min )?\d+ s of downtime/);
    const { items: active } = await api.get<{ items: unknown[] }>('/api/v1/tickets?state=active');
    expect(active).toEqual([]);
  });

  it('stops agent and hub cleanly, the embedded database with them', async () => {
    expect(await stop(agent!)).toEqual({ code: 0, signal: null });
    agent = undefined;
    await db.destroy();
    expect(await stop(hub)).toEqual({ code: 0, signal: null });
    await expect(fs.access(path.join(work, 'hub-data/postgres/postmaster.pid'))).rejects.toThrow();
  });
});
