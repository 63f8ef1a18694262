import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildIfStale, REPO } from './processes.js';

/**
 * The agent as shipped: its single executable and the .deb around it, built by
 * agent/build/build-sea.mjs and deploy/agent/build-deb.sh as a release is. Building them takes
 * minutes on a loaded machine (xz of an 88 MB file), so the tests that need them share one
 * build, kept under dist/test-packages/ for as long as nothing it is made of changes.
 */
export interface AgentPackages {
  binary: string;
  deb: string;
}

export function agentPackages(): AgentPackages {
  // The agent's build records what its sources were (their modification times).
  buildIfStale('agent');
  const hash = createHash('sha256').update(process.version);
  for (const file of [
    'agent/dist/build-inputs.json',
    'agent/package.json',
    'docs/agent-install.md',
    ...filesUnder('agent/build'),
    ...filesUnder('deploy/agent'),
  ]) {
    hash.update(file).update(fs.readFileSync(path.join(REPO, file)));
  }
  const key = hash.digest('hex').slice(0, 16);
  const cache = path.join(REPO, 'dist/test-packages');
  const dir = path.join(cache, key);
  const found = (ext: string) => fs.readdirSync(dir).find((f) => f.endsWith(ext));
  if (!fs.existsSync(path.join(dir, 'done'))) {
    fs.rmSync(cache, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, ['agent/build/build-sea.mjs', '--out', dir], {
      cwd: REPO,
      stdio: 'pipe',
    });
    execFileSync(path.join(REPO, 'deploy/agent/build-deb.sh'), ['--out', dir], { stdio: 'pipe' });
    fs.writeFileSync(path.join(dir, 'done'), '');
  }
  return {
    binary: path.join(dir, 'branchwatch-agent-linux-x64'),
    deb: path.join(dir, found('.deb')!),
  };
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(REPO, path.join(e.parentPath, e.name)))
    .sort();
}
