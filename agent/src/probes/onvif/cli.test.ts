import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { probeResult, type OnvifResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnvifSimulator } from '../../../../test/onvif-simulator/index.js';

/**
 * The real `branchwatch-agent probe --once` against the simulator: once on loopback, and once
 * inside two network namespaces joined by a veth pair, where the agent's side finds the camera
 * by WS-Discovery multicast and then checks it. Nothing here touches the machine's interfaces.
 */

const run = promisify(execFile);
const agentDir = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(agentDir, 'bin', 'branchwatch-agent.js');
const simulatorMain = join(agentDir, '../test/onvif-simulator/main.ts');

const header = `hub:
  url: mqtt://127.0.0.1:1883
  username: srv-01
  password: secret
agent:
  tenant: acme
  branch: hq
  id: srv-01
logLevel: error
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-onvif-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI (optionally inside a namespace) and returns its JSON results. */
async function probeOnce(config: string, netns?: string): Promise<OnvifResult[]> {
  const file = join(dir, `agent-${randomBytes(4).toString('hex')}.yaml`);
  await writeFile(file, header + config);
  const args = [bin, 'probe', '--once', '--json', '--config', file];
  const [cmd, argv] = netns
    ? ['ip', ['netns', 'exec', netns, process.execPath, ...args]]
    : [process.execPath, args];
  const { stdout } = await run(cmd, argv, { timeout: 20_000 });
  const results = JSON.parse(stdout) as unknown[];
  for (const r of results) expect(probeResult.safeParse(r).error).toBeUndefined();
  return results as OnvifResult[];
}

describe('probe --once with an onvif check', () => {
  const sim = new OnvifSimulator({ username: 'viewer', password: 'p4ss' });
  beforeAll(async () => {
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
  });

  it('checks the simulator over loopback and prints contract results', async () => {
    const [result] = await probeOnce(`checks:
  - id: cam-lobby
    type: onvif
    target: 127.0.0.1:${sim.port}
    timeoutSeconds: 5
    options: { username: viewer, password: p4ss }
`);
    expect(result).toMatchObject({ check: 'cam-lobby', type: 'onvif', status: 'ok' });
    expect(result!.device?.model).toBe('SimCam 1');
    expect(result!.fields.snapshotBytes).toBe(159);
    expect(result!.fields.profiles).toBe(2);
  });
});

const sh = (args: string[]) => run('ip', args, { timeout: 10_000 });

describe('WS-Discovery between two network namespaces', () => {
  const tag = randomBytes(3).toString('hex');
  const agentNs = `bw-onvif-test-${tag}-a`;
  const cameraNs = `bw-onvif-test-${tag}-c`;
  let camera: ChildProcess | undefined;
  let cameraUrl = '';

  beforeAll(async () => {
    await sh(['netns', 'add', agentNs]);
    await sh(['netns', 'add', cameraNs]);
    // A veth pair between the two: the branch LAN, with the agent at .1 and the camera at .2.
    await sh([
      '-n',
      agentNs,
      'link',
      'add',
      'lan0',
      'type',
      'veth',
      'peer',
      'lan0',
      'netns',
      cameraNs,
    ]);
    for (const [ns, address] of [
      [agentNs, '10.77.0.1/24'],
      [cameraNs, '10.77.0.2/24'],
    ] as const) {
      await sh(['-n', ns, 'addr', 'add', address, 'dev', 'lan0']);
      await sh(['-n', ns, 'link', 'set', 'lan0', 'up']);
      await sh(['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    camera = spawn(
      'ip',
      [
        'netns',
        'exec',
        cameraNs,
        process.execPath,
        '--import',
        'tsx',
        simulatorMain,
        '--host',
        '10.77.0.2',
        '--discovery-interface',
        '10.77.0.2',
      ],
      { cwd: agentDir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cameraUrl = await new Promise<string>((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error('simulator did not start')), 15_000);
      camera!.stdout!.once('data', (line: Buffer) => {
        clearTimeout(limit);
        resolve((JSON.parse(line.toString()) as { url: string }).url);
      });
    });
  });

  afterAll(async () => {
    // `ip netns exec` execs the process itself, so this PID is the simulator's.
    if (camera?.pid && camera.exitCode === null) {
      const exited = new Promise((resolve) => camera!.once('exit', resolve));
      process.kill(camera.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    }
    await sh(['netns', 'del', agentNs]).catch(() => {});
    await sh(['netns', 'del', cameraNs]).catch(() => {});
  });

  it('finds the camera by multicast Probe, then checks it at the address it gave', async () => {
    const results = await probeOnce(
      `checks:
  - id: lan-cameras
    type: onvif
    target: 10.77.0.1
    timeoutSeconds: 5
    options: { mode: discover, discoveryTimeoutMs: 1500 }
  - id: cam-found
    type: onvif
    target: ${cameraUrl}
    timeoutSeconds: 5
    options: { username: admin, password: secret }
`,
      agentNs,
    );
    const discovered = results.find((r) => r.check === 'lan-cameras')!;
    expect(discovered.status).toBe('ok');
    expect(discovered.fields.discovered).toBe(1);
    expect(discovered.devices).toEqual([
      expect.objectContaining({ xaddrs: [cameraUrl], from: '10.77.0.2' }),
    ]);
    expect(discovered.devices![0]!.scopes).toContain('onvif://www.onvif.org/Profile/Streaming');
    const checked = results.find((r) => r.check === 'cam-found')!;
    expect(checked).toMatchObject({ status: 'ok', device: { serial: 'SIM-0001' } });
  });

  it('finds nothing, without failing, from an interface with no cameras behind it', async () => {
    const [result] = await probeOnce(
      `checks:
  - id: loopback-only
    type: onvif
    target: 127.0.0.1
    options: { mode: discover, discoveryTimeoutMs: 500 }
`,
      agentNs,
    );
    expect(result).toMatchObject({ status: 'ok', devices: [] });
    expect(result!.fields.discovered).toBe(0);
  });
});
