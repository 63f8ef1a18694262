import { chmod, link, readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * The running binary and its neighbours, all in one folder (so every rename is atomic,
 * rename(2) within one file system):
 *   branchwatch-agent           what the service runs
 *   branchwatch-agent.new       an update being downloaded
 *   branchwatch-agent.previous  the binary before the last update, for a rollback
 *   branchwatch-agent.update.json   an update installed and not yet confirmed healthy
 *   branchwatch-agent.failed.json   the last version that was rolled back (not tried again)
 */
export interface UpdateMarker {
  from: string;
  to: string;
  /** Starts of the new binary so far; the guard rolls back on the second. */
  starts: number;
  installedAt: string;
}

export interface FailedUpdate {
  version: string;
  at: string;
  /** Whether the hub has been told. */
  reported: boolean;
}

export class BinaryStore {
  constructor(readonly binary: string) {}

  get next() {
    return `${this.binary}.new`;
  }
  get previous() {
    return `${this.binary}.previous`;
  }
  get markerFile() {
    return `${this.binary}.update.json`;
  }
  get failedFile() {
    return `${this.binary}.failed.json`;
  }

  /**
   * Puts the verified download (already at `next`) in place: the current binary is kept as
   * `previous` (a hard link, so it stays whole), then `next` replaces it in one rename. The
   * marker is written first, so a crash between the steps still leads to a check.
   */
  async install(from: string, to: string): Promise<void> {
    await chmod(this.next, 0o755);
    const marker: UpdateMarker = { from, to, starts: 0, installedAt: new Date().toISOString() };
    await writeJson(this.markerFile, marker);
    await rm(this.previous, { force: true });
    await link(this.binary, this.previous);
    await rename(this.next, this.binary);
  }

  /**
   * Runs before every start of the service (systemd ExecStartPre, from the package's own binary
   * that updates never replace). The first start of a new binary is let through; if the guard
   * runs again while the marker is still there, the new binary did not confirm it came up:
   * the previous one is put back.
   */
  async guard(): Promise<'none' | 'first-start' | 'rolled-back'> {
    const marker = await readJson<UpdateMarker>(this.markerFile);
    if (!marker) return 'none';
    if (marker.starts === 0) {
      await writeJson(this.markerFile, { ...marker, starts: 1 });
      return 'first-start';
    }
    await rename(this.previous, this.binary);
    const failed: FailedUpdate = {
      version: marker.to,
      at: new Date().toISOString(),
      reported: false,
    };
    await writeJson(this.failedFile, failed);
    await rm(this.markerFile, { force: true });
    return 'rolled-back';
  }

  pending(): Promise<UpdateMarker | undefined> {
    return readJson<UpdateMarker>(this.markerFile);
  }

  /** The new binary came up: the update stays. */
  async confirm(): Promise<void> {
    await rm(this.markerFile, { force: true });
  }

  failed(): Promise<FailedUpdate | undefined> {
    return readJson<FailedUpdate>(this.failedFile);
  }

  async markFailedReported(failed: FailedUpdate): Promise<void> {
    await writeJson(this.failedFile, { ...failed, reported: true });
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write to a temporary name, then rename: a reader never sees half a file. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(value)}\n`);
  await rename(`${file}.tmp`, file);
}
