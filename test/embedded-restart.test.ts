import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '@branchwatch/hub';
import { ApiClient, waitFor } from './support/http.js';
import { HUB_BIN, startNode, stop, type Started } from './support/processes.js';

/**
 * A hub killed with SIGKILL leaves its embedded PostgreSQL running and holding the cluster.
 * The next start must stop that server and come up on the same data.
 */
let hub: Started | undefined;
afterAll(async () => {
  if (hub) await stop(hub);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('comes back on its own data after a SIGKILL', async () => {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-restart-'));
  await fs.chmod(work, 0o755);
  const dataDir = path.join(work, 'data');
  const httpPort = await freeLoopbackPort();
  const env = {
    BW_DATA_DIR: dataDir,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(httpPort),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(await freeLoopbackPort()),
    BW_ADMIN_PASSWORD: 'restart-admin-password',
  };
  const api = new ApiClient(`http://127.0.0.1:${httpPort}`);
  const ready = () =>
    waitFor(
      'the hub to be ready',
      async () => ((await api.get('/readyz')) ? true : undefined),
      90_000,
    );

  hub = startNode(HUB_BIN, [], env, path.join(work, 'hub-1.log'));
  await ready();
  await api.login('admin', 'restart-admin-password');
  await api.post('/api/v1/branches', { slug: 'kept', name: 'Survives the kill' });

  await stop(hub, 'SIGKILL');
  const pidFile = await fs.readFile(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8');
  const orphan = Number(pidFile.split('\n')[0]);
  expect(alive(orphan)).toBe(true);

  hub = startNode(HUB_BIN, [], env, path.join(work, 'hub-2.log'));
  await ready();
  expect(alive(orphan)).toBe(false);
  expect(hub.output()).toContain('stopping a PostgreSQL left running by an earlier hub');
  await api.login('admin', 'restart-admin-password');
  const { items } = await api.get<{ items: { slug: string; name: string }[] }>('/api/v1/branches');
  expect(items).toEqual([expect.objectContaining({ slug: 'kept', name: 'Survives the kill' })]);
  expect(await stop(hub)).toEqual({ code: 0, signal: null });
  hub = undefined;
  await fs.rm(work, { recursive: true, force: true });
});
