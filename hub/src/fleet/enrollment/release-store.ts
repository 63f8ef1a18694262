import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Agent releases as files: BW_DATA_DIR/releases/VERSION/PLATFORM/branchwatch-agent with
 * release.json beside it ({ version, platform, sha256, signature }), and the .debs of that
 * version in BW_DATA_DIR/releases/VERSION/. Files copied in by hand (the output of
 * `pnpm release:sign`) are found the same way as uploads. The hub never verifies or makes
 * signatures: agents verify with the key pinned in them.
 */
export interface Release {
  version: string;
  platform: string;
  sha256: string;
  signature: string;
  size: number;
  file: string;
}

const NAME = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
export const isReleaseName = (s: string) => NAME.test(s) && !s.includes('..');

export class ReleaseStore {
  constructor(readonly dir: string) {}

  async get(version: string, platform: string): Promise<Release | undefined> {
    if (!isReleaseName(version) || !isReleaseName(platform)) return undefined;
    const folder = path.join(this.dir, version, platform);
    try {
      const meta = JSON.parse(await readFile(path.join(folder, 'release.json'), 'utf8'));
      const file = path.join(folder, 'branchwatch-agent');
      const { size } = await stat(file);
      return { version, platform, sha256: meta.sha256, signature: meta.signature, size, file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(
    version: string,
    platform: string,
    binary: Buffer,
    signature: string,
  ): Promise<Release> {
    const folder = path.join(this.dir, version, platform);
    await mkdir(folder, { recursive: true });
    const sha256 = createHash('sha256').update(binary).digest('hex');
    const file = path.join(folder, 'branchwatch-agent');
    await writeFile(`${file}.tmp`, binary, { mode: 0o644 });
    await rename(`${file}.tmp`, file);
    const meta = { version, platform, sha256, signature };
    await writeFile(path.join(folder, 'release.json'), `${JSON.stringify(meta, null, 2)}\n`);
    return { ...meta, size: binary.length, file };
  }

  async list(): Promise<Release[]> {
    const versions = await readdir(this.dir).catch(() => [] as string[]);
    const found: Release[] = [];
    for (const version of versions.filter(isReleaseName)) {
      const entries = await readdir(path.join(this.dir, version), { withFileTypes: true });
      for (const e of entries.filter((d) => d.isDirectory())) {
        const release = await this.get(version, e.name);
        if (release) found.push(release);
      }
    }
    return found;
  }

  /** The newest .deb for a Debian architecture (amd64, arm64), by version order. */
  async latestDeb(debArch: string): Promise<string | undefined> {
    const versions = (await readdir(this.dir).catch(() => [] as string[])).filter(isReleaseName);
    versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const version of versions.reverse()) {
      const deb = path.join(this.dir, version, `branchwatch-agent_${version}_${debArch}.deb`);
      if (
        await stat(deb).then(
          () => true,
          () => false,
        )
      )
        return deb;
    }
    return undefined;
  }
}
