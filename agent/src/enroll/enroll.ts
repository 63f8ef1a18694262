import { chown, rename, stat, writeFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../config.js';
import { EXIT, type Output } from '../commands/output.js';

export const DEFAULT_CONFIG = '/etc/branchwatch/agent.yaml';
export const DEFAULT_SPOOL = '/var/lib/branchwatch/spool';

export interface EnrollOptions {
  hub: string;
  token: string;
  config?: string;
  name?: string;
  /** Replace a config that is already enrolled. */
  force?: boolean;
}

/** The hub's answer to POST /api/v1/enroll. */
interface Enrolled {
  agent: { tenant: string; branch: string; slug: string };
  config: string;
}

/**
 * `enroll --hub URL --token TOKEN`: trades a one-time enrollment token for this agent's own
 * credentials and writes the config the hub returns (mode 0640, keeping the owner and group of
 * the file it replaces: the package ships it as root:branchwatch).
 */
export async function enrollCommand(options: EnrollOptions, io: Output): Promise<number> {
  const file = options.config ?? DEFAULT_CONFIG;
  if (!URL.canParse(options.hub) || !/^https?:$/.test(new URL(options.hub).protocol)) {
    io.err(`enroll: --hub must be the hub's http:// or https:// address, not "${options.hub}"`);
    return EXIT.usage;
  }
  if (!options.force && (await isEnrolled(file))) {
    io.err(`enroll: ${file} already holds an enrolled agent; pass --force to replace it`);
    return EXIT.badConfig;
  }
  const res = await fetch(new URL('/api/v1/enroll', options.hub), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: options.token, ...(options.name ? { name: options.name } : {}) }),
    signal: AbortSignal.timeout(30_000),
  }).catch((err: unknown) => err as Error);
  if (res instanceof Error) {
    io.err(`enroll: cannot reach the hub at ${options.hub}: ${res.message}`);
    return EXIT.badConfig;
  }
  const body = (await res.json().catch(() => ({}))) as Partial<Enrolled> & {
    error?: { code?: string; message?: string };
  };
  if (!res.ok || typeof body.config !== 'string') {
    const { code, message } = body.error ?? {};
    io.err(
      `enroll: the hub refused the token: ${message ?? `HTTP ${res.status}`}${code ? ` (${code})` : ''}`,
    );
    return EXIT.badConfig;
  }
  const text = localize(body.config, options.hub, options.config === undefined);
  // Never write a file the agent would refuse.
  parseConfig(text, file);
  await writeConfig(file, text);
  const a = body.agent!;
  const run =
    options.config === undefined
      ? 'sudo systemctl restart branchwatch-agent'
      : `branchwatch-agent run --config ${file}`;
  io.out(`enrolled as ${a.tenant}/${a.branch}/${a.slug}; config written to ${file}\nnext: ${run}`);
  return EXIT.ok;
}

/** The hub's config, with the update URL this host reaches the hub at and the spool folder. */
function localize(config: string, hub: string, packaged: boolean): string {
  const doc = parseDocument(config);
  if (packaged) doc.setIn(['spool', 'dir'], DEFAULT_SPOOL);
  if (doc.hasIn(['update'])) doc.setIn(['update', 'url'], new URL(hub).origin);
  return doc.toString();
}

async function isEnrolled(file: string): Promise<boolean> {
  try {
    await loadConfig(file);
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

async function writeConfig(file: string, text: string): Promise<void> {
  const owner = await stat(file).catch(() => undefined);
  const temporary = `${file}.enroll-tmp`;
  await writeFile(temporary, text, { mode: 0o640 });
  if (owner) await chown(temporary, owner.uid, owner.gid);
  await rename(temporary, file);
}
