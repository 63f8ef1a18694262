import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Kamailio (Debian's package) as SIP registrar for tests: UDP and TCP on one loopback port
 * chosen at run time, digest authentication against one account written into the script (no
 * database: `pv_auth_check` compares with a password given in the config), bindings kept in
 * memory (usrloc db_mode 0). Everything stays in a temporary folder; stopped by its own pid.
 */

export interface KamailioOptions {
  user?: string;
  password?: string;
  /** registrar's bounds on the lifetime it grants, s. */
  minExpires?: number;
  maxExpires?: number;
}

export interface Kamailio {
  host: string;
  port: number;
  /** The account the registrar accepts; its realm and domain are the host. */
  user: string;
  password: string;
  minExpires: number;
  maxExpires: number;
  pid: number;
  dir: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** A port free a moment ago for both UDP and TCP on `host`: SIP listens on both. */
export async function freeUdpTcpPort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve(udp.address().port));
    });
    const tcp = createServer();
    const tcpFree = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      return port;
    }
  }
  throw new Error('no port free for both UDP and TCP after 20 tries');
}

/** Waits until something listens on `port` per /proc/net (no packet sent, so no peer state). */
export async function waitListening(
  proto: 'udp' | 'tcp',
  port: number,
  child: ChildProcess,
  limitMs = 10_000,
): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening`);
    const table = await readFile(`/proc/net/${proto}`, 'utf8');
    // TCP: state 0A is LISTEN; UDP sockets have no listen state, bound is enough.
    // Columns: sl, local_address, rem_address, st; sl is padded to 5 places only, so trim first.
    const found = table.split('\n').some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return local?.endsWith(hex) && (proto === 'udp' || state === '0A');
    });
    if (found) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on ${proto} port ${port} within ${limitMs} ms`);
}

/** The routing script: OPTIONS to us → 200, REGISTER → digest check (qop=auth), then save. */
function script(host: string, port: number, o: Required<KamailioOptions>): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:${host}:${port}
listen=tcp:${host}:${port}
alias="${host}:${port}"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "xlog.so"

modparam("usrloc", "db_mode", 0)
modparam("registrar", "default_expires", 60)
modparam("registrar", "min_expires", ${o.minExpires})
modparam("registrar", "max_expires", ${o.maxExpires})
# 423 Interval Too Brief with Min-Expires (RFC 3261 §10.3 step 7) instead of a silent raise.
modparam("registrar", "min_expires_mode", 1)
# Track nc per nonce, so a replayed nc is refused (RFC 2617 §3.2.2).
modparam("auth", "nonce_count", 1)

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (is_method("OPTIONS") && uri==myself) { sl_send_reply("200", "Keepalive"); exit; }
  if (is_method("REGISTER")) {
    if ($au == "${o.user}") {
      $var(rc) = pv_auth_check("$td", "${o.password}", "0", "1");
    } else if ($au != $null) {
      $var(rc) = -3;
    } else {
      $var(rc) = -5;
    }
    if ($var(rc) < 0) {
      xlog("L_INFO", "auth rc=$var(rc) user=$au\\n");
      # flags 1: offer qop=auth.
      auth_challenge("$td", "1");
      exit;
    }
    consume_credentials();
    if (!save("location")) { sl_reply_error(); }
    exit;
  }
  sl_send_reply("404", "Not Here");
}
`;
}

export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const host = '127.0.0.1';
  const o: Required<KamailioOptions> = {
    user: options.user ?? 'alice',
    password: options.password ?? 'wonderland-7',
    minExpires: options.minExpires ?? 10,
    maxExpires: options.maxExpires ?? 300,
  };
  const dir = await mkdtemp(join(tmpdir(), 'bw-kamailio-'));
  const cfg = join(dir, 'kamailio.cfg');
  const logFile = join(dir, 'kamailio.log');
  const pidFile = join(dir, 'kamailio.pid');
  let lastError: unknown;
  // The port can be taken between choosing and binding: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeUdpTcpPort(host);
    await writeFile(cfg, script(host, port, o));
    const out = openSync(logFile, 'a');
    // -DD: stay in the foreground (and keep children); -E: log to stderr; small shared memory.
    const args = ['-f', cfg, '-DD', '-E', '-P', pidFile, '-Y', dir, '-m', '32', '-M', '4'];
    // Its own process group, so a forced stop reaches the children it forked as well.
    const child = spawn('kamailio', args, {
      cwd: dir,
      stdio: ['ignore', out, out],
      detached: true,
    });
    closeSync(out);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitListening('tcp', port, child);
      await waitListening('udp', port, child);
    } catch (err) {
      lastError = err;
      await stopChild(child, exited);
      continue;
    }
    return {
      host,
      port,
      ...o,
      pid: child.pid!,
      dir,
      log: () => readFile(logFile, 'utf8'),
      stop: async () => {
        await stopChild(child, exited);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  await rm(dir, { recursive: true, force: true });
  throw new Error(`kamailio did not start: ${String(lastError)}\n${log.slice(-2000)}`, {
    cause: lastError,
  });
}

/**
 * SIGTERM to the process we started (Kamailio's main process stops the children it forked), then
 * SIGKILL to its process group (spawned `detached`) if it has not exited within 5 s, so no forked
 * child outlives the test.
 */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup(pid), 5000);
    await exited;
    clearTimeout(timer);
  }
  // A child that outlived its main process is still in the group: leave none behind.
  killGroup(pid);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already empty.
  }
}
