import { onvifResult } from '@branchwatch/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OnvifSimulator } from '../../../../test/onvif-simulator/index.js';
import type { CheckConfig } from '../../config.js';
import { silentLogger } from '../../log.js';
import { runCheck } from '../../scheduler/run-check.js';
import { probes } from '../registry.js';
import { createOnvifProbe } from './index.js';
import { onvifOptions, type OnvifOptions } from './options.js';

const sim = new OnvifSimulator({ username: 'admin', password: 'secret' });
let nextId = 0;

beforeAll(async () => {
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  Object.assign(sim.faults, { delayMs: 0, snapshotStatus: 200, clockOffsetSeconds: 0 });
  sim.setPassword('secret');
  await sim.goOnline();
});

const options = (extra: Partial<OnvifOptions> = {}): OnvifOptions =>
  onvifOptions.parse({ username: 'admin', password: 'secret', ...extra });

/** One round through a fresh probe (its own grace memory); ids are unique per call anyway. */
async function round(extra: Partial<OnvifOptions> = {}, probe = createOnvifProbe()) {
  const id = `cam-${nextId++}`;
  const outcome = await probe.run(
    { id, target: sim.deviceServiceUrl, options: options(extra) },
    new AbortController().signal,
  );
  const result = {
    check: id,
    type: 'onvif',
    target: 'x',
    at: new Date().toISOString(),
    ...outcome,
  };
  // Every outcome must be a valid contract result, or the runner would turn it into a bug report.
  expect(onvifResult.safeParse(result).error).toBeUndefined();
  return outcome;
}

describe('onvif probe against the simulator', () => {
  it('reports a healthy camera: identity, profiles, stream, a real JPEG, no drift', async () => {
    const outcome = await round();
    expect(outcome.status).toBe('ok');
    expect(outcome.reason).toBeUndefined();
    expect(outcome.device).toEqual({
      manufacturer: 'Branchwatch',
      model: 'SimCam 1',
      firmware: '1.2.3',
      serial: 'SIM-0001',
      profileNames: ['MainStream', 'SubStream'],
      profileToken: 'profile_main',
      streamUri: 'rtsp://127.0.0.1:554/Streaming/profile_main',
      snapshotUri: `${sim.base}/snapshot/profile_main.jpg`,
    });
    const f = outcome.fields;
    expect(f.profiles).toBe(2);
    expect(f.snapshotBytes).toBe(159);
    expect(Math.abs(f.driftSeconds!)).toBeLessThanOrEqual(0.6);
    expect(f.responseMs).toBeGreaterThan(0);
    expect(f.responseMs).toBeLessThan(1000);
    expect(f.snapshotMs).toBeGreaterThan(0);
    expect(f.unreachableSeconds).toBeNull();
    // The first call went out without a token (pre-auth), every later one with a verified one.
    const actions = sim.calls.slice(-6);
    expect(actions).toEqual([
      { action: 'GetSystemDateAndTime', authenticated: false },
      { action: 'GetDeviceInformation', authenticated: true },
      { action: 'GetCapabilities', authenticated: true },
      { action: 'GetProfiles', authenticated: true },
      { action: 'GetStreamUri', authenticated: true },
      { action: 'GetSnapshotUri', authenticated: true },
    ]);
  });

  it('uses the configured profile, by name', async () => {
    const outcome = await round({ profile: 'SubStream' });
    expect(outcome.device?.profileToken).toBe('profile_sub');
    expect(outcome.device?.streamUri).toBe('rtsp://127.0.0.1:554/Streaming/profile_sub');
  });

  it('reports a profile the device does not have with the device fault code', async () => {
    const outcome = await round({ profile: 'nope' });
    expect(outcome).toMatchObject({
      status: 'failed',
      failure: 'soap_fault',
      faultCode: 'ter:NoProfile',
    });
    expect(outcome.reason).toBe('soap_fault: GetStreamUri: ter:NoProfile (no profile "nope")');
  });

  it('classifies changed credentials as auth_failed with ter:NotAuthorized', async () => {
    sim.setPassword('changed-on-the-camera');
    const outcome = await round();
    expect(outcome).toMatchObject({
      status: 'failed',
      failure: 'auth_failed',
      faultCode: 'ter:NotAuthorized',
    });
    expect(outcome.reason).toBe(
      'auth_failed: GetDeviceInformation: ter:NotAuthorized (Sender not Authorized: wrong password)',
    );
    // The camera did answer: its clock was still read (pre-auth), identity was not.
    expect(outcome.fields.driftSeconds).not.toBeNull();
    expect(outcome.device?.manufacturer).toBeNull();
  });

  it('fails a snapshot URL that answers 500 as snapshot_failed, keeping the rest', async () => {
    sim.faults.snapshotStatus = 500;
    const outcome = await round();
    expect(outcome).toMatchObject({ status: 'failed', failure: 'snapshot_failed' });
    expect(outcome.reason).toBe('snapshot_failed: snapshot HTTP 500');
    expect(outcome.fields.snapshotBytes).toBeNull();
    expect(outcome.fields.profiles).toBe(2);
    expect(outcome.device?.streamUri).toMatch(/^rtsp:\/\//);
  });

  it('fails a clock 30 s ahead as clock_drift, with the drift measured', async () => {
    sim.faults.clockOffsetSeconds = 30;
    const outcome = await round();
    expect(outcome).toMatchObject({ status: 'failed', failure: 'clock_drift' });
    expect(outcome.fields.driftSeconds).toBeGreaterThanOrEqual(29.4);
    expect(outcome.fields.driftSeconds).toBeLessThanOrEqual(30.6);
    expect(outcome.reason).toBe(
      `clock_drift: device clock ${outcome.fields.driftSeconds} s ahead of the agent's (limit 5 s)`,
    );
    // WS-Security still works: the client stamps Created on the device's clock.
    expect(outcome.fields.snapshotBytes).toBe(159);
  });

  it('fails a clock behind by more than the threshold, and accepts one within it', async () => {
    sim.faults.clockOffsetSeconds = -12;
    const behind = await round();
    expect(behind.failure).toBe('clock_drift');
    expect(behind.fields.driftSeconds).toBeLessThanOrEqual(-11.4);
    expect(behind.reason).toMatch(/behind the agent's \(limit 5 s\)$/);
    expect((await round({ driftThresholdSeconds: 15 })).status).toBe('ok');
  });

  it('reports a camera that stops listening as ok inside the grace period, unreachable after', async () => {
    const probe = createOnvifProbe();
    const check = {
      id: 'cam-grace',
      target: sim.deviceServiceUrl,
      options: options({ graceSeconds: 1 }),
    };
    const signal = new AbortController().signal;
    expect((await probe.run(check, signal)).status).toBe('ok');
    await sim.goOffline();

    const first = await probe.run(check, signal);
    expect(first.status).toBe('ok');
    expect(first.failure).toBeUndefined();
    expect(first.fields.unreachableSeconds).toBe(0);
    expect(first.reason).toBe('no answer for 0 s (grace 1 s): connection refused');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await probe.run(check, signal);
    expect(later).toMatchObject({ status: 'failed', failure: 'unreachable' });
    expect(later.fields.unreachableSeconds).toBeGreaterThanOrEqual(1);
    expect(later.reason).toMatch(/^unreachable: connection refused \(silent for 1(\.\d)? s\)$/);

    // Back online: the silence is forgotten at once.
    await sim.goOnline();
    const back = await probe.run(check, signal);
    expect(back.status).toBe('ok');
    expect(back.fields.unreachableSeconds).toBeNull();
    await sim.goOffline();
    expect((await probe.run(check, signal)).fields.unreachableSeconds).toBe(0);
  });

  it('with no grace, a silent camera fails at once', async () => {
    await sim.goOffline();
    const outcome = await round({ graceSeconds: 0 });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'unreachable' });
  });

  it('treats answers slower than requestTimeoutMs as silence', async () => {
    sim.faults.delayMs = 800;
    const outcome = await round({ requestTimeoutMs: 300, graceSeconds: 0 });
    expect(outcome).toMatchObject({ status: 'failed', failure: 'unreachable' });
    expect(outcome.reason).toMatch(/^unreachable: no answer in time/);
  });

  it('is cut off by the runner when slow answers overrun the check timeout', async () => {
    // Each answer is inside requestTimeoutMs, but six of them are not inside 1 s.
    sim.faults.delayMs = 300;
    const check: CheckConfig = {
      id: 'cam-slow',
      type: 'onvif',
      target: sim.deviceServiceUrl,
      intervalSeconds: 60,
      timeoutSeconds: 1,
      options: options({ requestTimeoutMs: 900 }),
    };
    const started = Date.now();
    const result = await runCheck(check, { registry: probes, log: silentLogger });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ type: 'onvif', status: 'failed', reason: 'timeout after 1s' });
    expect(result.fields).toEqual(createOnvifProbe().blankFields(check.options as OnvifOptions));
  });
});
