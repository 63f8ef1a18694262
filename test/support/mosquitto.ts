import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { freeLoopbackPort } from '@branchwatch/hub';
import { waitFor } from './http.js';

/** A Mosquitto broker the test started, with its files in `dir`. */
export interface Mosquitto {
  /** Agents' listener: the client id is forced to the username (`use_username_as_clientid`). */
  agentUrl: string;
  /** Hubs' listener. */
  hubUrl: (username: string, password: string) => string;
  child: ChildProcess;
  passwordFile: string;
  aclFile: string;
  /** Makes mosquitto read its password and ACL files again (SIGHUP). */
  reload(): void;
  stop(): Promise<void>;
}

/**
 * Starts Debian's mosquitto (2.0) in the foreground from a generated config, like
 * deploy/mosquitto/mosquitto.conf but on free loopback ports and with persistence in `dir`.
 * The password and ACL files must exist (pnpm hub:mosquitto-auth writes them).
 */
export async function startMosquitto(dir: string): Promise<Mosquitto> {
  const [agentPort, hubPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const passwordFile = path.join(dir, 'passwords');
  const aclFile = path.join(dir, 'acl');
  const conf = path.join(dir, 'mosquitto.conf');
  await fs.writeFile(
    conf,
    [
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${passwordFile}`,
      `acl_file ${aclFile}`,
      'persistence true',
      `persistence_location ${dir}/`,
      // Queued messages of a hub session that is away are kept, not dropped.
      'max_queued_messages 0',
      // Running as root in the tests: stay root so that the temp dir stays writable.
      'user root',
      `log_dest file ${path.join(dir, 'mosquitto.log')}`,
      `listener ${agentPort} 127.0.0.1`,
      'use_username_as_clientid true',
      `listener ${hubPort} 127.0.0.1`,
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor('mosquitto to listen', () => canConnect(hubPort), 15_000);
  return {
    agentUrl: `mqtt://127.0.0.1:${agentPort}`,
    hubUrl: (u, p) =>
      `mqtt://${encodeURIComponent(u)}:${encodeURIComponent(p)}@127.0.0.1:${hubPort}`,
    child,
    passwordFile,
    aclFile,
    reload: () => child.kill('SIGHUP'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function canConnect(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(undefined));
  });
}
