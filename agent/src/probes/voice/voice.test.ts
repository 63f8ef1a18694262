import { voiceResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from '../../../../test/peers/kamailio.js';
import { voiceProbe } from './index.js';
import { voiceOptions } from './options.js';

const run = (target: string, options: Record<string, unknown> = {}) =>
  voiceProbe.run(
    { id: 'voice', target, options: voiceOptions.parse(options) },
    AbortSignal.timeout(10_000),
  );

const asResult = (outcome: Awaited<ReturnType<typeof run>>) =>
  voiceResult.parse({
    check: 'voice',
    type: 'voice',
    target: 'x',
    at: new Date().toISOString(),
    ...outcome,
  });

describe('voice probe against Kamailio on loopback', () => {
  let k: Kamailio;
  beforeAll(async () => {
    k = await startKamailio();
  }, 30_000);
  afterAll(async () => {
    await k?.stop();
  });

  it('gets every OPTIONS of the burst answered: loss 0, G.711 MOS ≈ 4.4', async () => {
    const result = asResult(await run(`${k.host}:${k.port}`, { codecs: ['g711', 'g729a'] }));
    expect(result.status).toBe('ok');
    const f = result.fields;
    expect([f.sent, f.received, f.loss, f.burstR]).toEqual([50, 50, 0, 1]);
    expect(result.samples).toHaveLength(50);
    expect(f.rttMax).toBeLessThan(100);
    // Loopback: delay is a few ms at most, so G.711 sits just under its ceiling of 4.41.
    expect(f.mos).toBeGreaterThan(4.3);
    expect(f.mos).toBeLessThanOrEqual(4.41);
    const [g711, g729a] = result.codecs!;
    expect(g711).toMatchObject({ codec: 'g711', ieEff: 0, mos: f.mos, r: f.r });
    // G.711 adds its 20 ms packet to the network delay, G.729A 20 ms + 5 ms look-ahead.
    expect(g711!.delay).toBeCloseTo(f.delay! + 20, 3);
    expect(g729a!.delay).toBeCloseTo(f.delay! + 25, 3);
    expect(g729a).toMatchObject({ codec: 'g729a', ieEff: 11 });
    expect(g729a!.mos).toBeGreaterThan(4.0);
    expect(g729a!.mos).toBeLessThan(4.11);
    console.log(
      `voice on loopback: rtt ${f.rttMin}/${f.rttMean}/${f.rttMax} ms, jitter ${f.jitter} ms,` +
        ` G.711 R ${g711!.r} MOS ${g711!.mos}, G.729A R ${g729a!.r} MOS ${g729a!.mos}`,
    );
  });

  it('keeps the packets on a 20 ms grid: a burst of 25 takes about half a second', async () => {
    const started = performance.now();
    const result = asResult(await run(`${k.host}:${k.port}`, { count: 25, replyTimeoutMs: 100 }));
    const took = performance.now() - started;
    expect(result.fields.received).toBe(25);
    // 24 intervals of 20 ms, then the 100 ms reply wait.
    expect(took).toBeGreaterThanOrEqual(24 * 20 + 100 - 5);
    // An upper bound only against a hang, loose enough for a loaded machine.
    expect(took).toBeLessThan(15_000);
  });

  it('reports a fixed jitter buffer in the delay', async () => {
    const result = asResult(await run(`${k.host}:${k.port}`, { count: 5, jitterBufferMs: 60 }));
    // Both fields are rounded to 3 decimals on their own: they may differ by one in the last.
    const expected = result.fields.rttMean! / 2 + 60;
    expect(Math.abs(result.fields.delay! - expected)).toBeLessThanOrEqual(0.001);
  });
});

describe('voice probe without a PBX', () => {
  it('fails as unreachable when the port is closed (ICMP port unreachable)', async () => {
    const k = await startKamailio();
    const target = `${k.host}:${k.port}`;
    await k.stop();
    const result = asResult(await run(target, { count: 10 }));
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'connection refused (port unreachable)',
      fields: { received: 0, loss: 100, r: null, mos: null },
    });
  });

  it('says how long a round may take, so the config refuses a shorter timeout', () => {
    const options = voiceOptions.parse({ count: 50, intervalMs: 20, replyTimeoutMs: 1000 });
    expect(voiceProbe.roundMs!(options)).toBe(49 * 20 + 1000);
  });
});
