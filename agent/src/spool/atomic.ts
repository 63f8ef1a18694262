import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `name` in `dir` so that after a crash it holds either the old or the new content,
 * never a mix: write a temporary file, fsync it, rename it over the name, fsync the folder
 * (the rename itself lives in the folder's entry, which is only durable once the folder is).
 */
export async function writeFileAtomic(dir: string, name: string, data: string): Promise<void> {
  const temp = join(dir, `${TEMP_PREFIX}${name}`);
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(data, 'utf8');
    await file.sync();
  } catch (err) {
    await file.close();
    await unlink(temp).catch(() => {});
    throw err;
  }
  await file.close();
  await rename(temp, join(dir, name));
  await syncDir(dir);
}

/** Prefix of files being written; any left at start come from a crash and are removed. */
export const TEMP_PREFIX = '.tmp-';

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
