import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeResult, type ProbeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsmasq, type Dnsmasq } from '../../../../test/peers/dnsmasq.js';
import { makeCerts, startPeer, type Peer } from './testdata/peers.js';

/**
 * `branchwatch-agent probe --once` with http and dns checks against real peers on loopback:
 * the whole path from a YAML file through the config loader, the registry and the runner to
 * contract results on stdout.
 */

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/branchwatch-agent.js');

const HEADER = `hub:
  url: mqtt://127.0.0.1:1883
  username: srv-01
  password: secret
agent:
  tenant: acme
  branch: hq
  id: srv-01
`;

/** Runs the CLI (optionally under `wrapper`, e.g. `unshare -n`), killed after `limitMs`. */
function cli(args: string[], wrapper: string[] = [], limitMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const [command, ...rest] = [...wrapper, process.execPath, bin, ...args];
    const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

const parse = (stdout: string) =>
  new Map(
    (JSON.parse(stdout) as unknown[])
      .map((r) => probeResult.parse(r))
      .map((r): [string, ProbeResult] => [r.check, r]),
  );

// A network namespace of our own has no route to any DNS server: name lookups fail at once
// and nothing leaves the machine.
describe('probe --once with http and dns checks', () => {
  let dir: string;
  let web: Peer;
  let tls: Peer;
  let dnsmasq: Dnsmasq;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bw-probe-once-'));
    const certs = await makeCerts(dir, 90);
    const handler = (_: unknown, response: { end(text: string): void }) => response.end('up');
    web = await startPeer(handler);
    tls = await startPeer(handler, certs.leaf);
    dnsmasq = await startDnsmasq({ records: ['--local=/test/', '--address=/pbx.test/192.0.2.7'] });
    await writeFile(
      join(dir, 'agent.yaml'),
      `${HEADER}checks:
  - id: intranet
    type: http
    target: ${web.base}/health
    options: { bodyMatch: { contains: up } }
  - id: portal
    type: http
    target: https://localhost:${tls.port}/
    options: { tls: { caFile: ${certs.caFile} } }
  - id: portal-untrusted
    type: http
    target: https://localhost:${tls.port}/
  - id: pbx-name
    type: dns
    target: pbx.test
    options: { server: '${dnsmasq.server}', expect: { exact: 192.0.2.7 } }
  - id: gone-name
    type: dns
    target: gone.test
    options: { server: '${dnsmasq.server}' }
`,
    );
  });
  afterAll(async () => {
    await Promise.all([web?.close(), tls?.close(), dnsmasq?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a contract result per check, failing targets included, and exits 0', async () => {
    const ran = await cli(['probe', '--once', '--config', join(dir, 'agent.yaml'), '--json']);
    expect(ran.code).toBe(0);
    const results = parse(ran.stdout);
    const summary = [...results.values()].map((r) => [r.check, r.status, r.reason ?? null]);
    expect(summary).toEqual([
      ['intranet', 'ok', null],
      ['portal', 'ok', null],
      ['portal-untrusted', 'failed', 'tls_failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
      ['pbx-name', 'ok', null],
      ['gone-name', 'failed', 'nxdomain: gone.test does not exist'],
    ]);
    expect(results.get('portal')).toMatchObject({ type: 'http', fields: { statusCode: 200 } });
    expect(results.get('portal')!.fields).toHaveProperty('certDaysLeft', 90);
    expect(results.get('pbx-name')).toMatchObject({ answers: ['192.0.2.7'] });
    console.log('probe --once results:', ran.stdout.replace(/\s+/g, ' ').slice(0, 2000));
  });

  it('prints the phases in the table a person reads', async () => {
    const ran = await cli(['probe', '--once', '--config', join(dir, 'agent.yaml')]);
    expect(ran.code).toBe(0);
    const intranet = ran.stdout.split('\n').find((line) => line.startsWith('intranet'));
    expect(intranet).toMatch(/ok +dns=0 connect=[\d.]+ tls=- firstByte=[\d.]+ total=[\d.]+ /);
    expect(intranet).toContain('statusCode=200');
  });

  // `unshare -n` needs root, which the run has (test/support/peers.global.ts).
  it('fails a host name that cannot be resolved as dns_failed', async () => {
    const file = join(dir, 'no-dns.yaml');
    await writeFile(
      file,
      `${HEADER}checks:
  - id: intranet-by-name
    type: http
    target: http://intranet.branch.test/
`,
    );
    const ran = await cli(['probe', '--once', '--config', file, '--json'], ['unshare', '-n']);
    expect(ran.code).toBe(0);
    const result = parse(ran.stdout).get('intranet-by-name')!;
    expect(result.reason).toMatch(
      /^dns_failed: cannot resolve intranet\.branch\.test \((EAI_AGAIN|ENOTFOUND)\)$/,
    );
    expect(result.fields).toMatchObject({ dns: null, connect: null, statusCode: null });
    console.log('in a namespace without DNS:', result.reason);
  });
});
