import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { firstFolderNotEnterable, startEmbeddedPostgres } from './embedded-postgres.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-reach-'));
  await fs.chmod(root, 0o755); // mkdtemp makes it 700
  await fs.mkdir(path.join(root, 'home', 'clone', 'data'), { recursive: true });
});
afterEach(async () => {
  await fs.chmod(path.join(root, 'home'), 0o755);
  await fs.rm(root, { recursive: true, force: true });
});

it('names the first folder another user cannot enter on the way to a target', async () => {
  const home = path.join(root, 'home');
  const target = path.join(home, 'clone', 'data');
  const { uid, gid } = await fs.stat(home);
  const stranger = { uid: uid + 4242, gid: gid + 4242 };

  await fs.chmod(home, 0o700);
  expect(await firstFolderNotEnterable(target, stranger)).toEqual({ folder: home, mode: 0o700 });
  expect(await firstFolderNotEnterable(target, undefined)).toEqual({ folder: home, mode: 0o700 });
  // The owner may enter it; so may the group when its bit is set.
  expect(await firstFolderNotEnterable(target, { uid, gid: stranger.gid })).toBeUndefined();
  await fs.chmod(home, 0o750);
  expect(await firstFolderNotEnterable(target, { uid: stranger.uid, gid })).toBeUndefined();
  expect(await firstFolderNotEnterable(target, stranger)).toEqual({ folder: home, mode: 0o750 });
  // Search permission alone (o+x) is enough; reading the folder is not needed.
  await fs.chmod(home, 0o711);
  expect(await firstFolderNotEnterable(target, stranger)).toBeUndefined();
});

it('as root, refuses a data folder user postgres cannot reach before making anything', async () => {
  // The suite runs as root (scripts/install-test-deps.sh stops otherwise): this is the path a
  // clone in root's home takes.
  expect(os.userInfo().uid).toBe(0);
  const home = path.join(root, 'home');
  const dataDir = path.join(home, 'clone', 'data');
  await fs.chmod(home, 0o700);

  const started = startEmbeddedPostgres(dataDir, createLogger('silent'));
  await expect(started).rejects.toThrow(
    `user postgres, which cannot enter ${home} (mode 700) on the way to the data folder`,
  );
  await expect(started).rejects.toThrow(`chmod o+x ${home}`);
  expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  expect(existsSync(path.join(dataDir, 'postgres-credentials.json'))).toBe(false);
});
