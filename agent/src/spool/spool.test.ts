import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeResult } from '@branchwatch/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../log.js';
import { Spool } from './spool.js';

const result = (check: string): ProbeResult => ({
  check,
  type: 'tcp',
  target: '127.0.0.1:22',
  at: '2026-11-21T10:00:00.000Z',
  status: 'ok',
  fields: { connect: 0.1 },
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (maxBytes = 1024 * 1024, log = silentLogger) => Spool.open({ dir, maxBytes, log });

describe('spool', () => {
  it('keeps batches until acked, oldest first', async () => {
    const spool = await open();
    const a = await spool.append([result('a')]);
    const b = await spool.append([result('b'), result('c')]);
    expect([a?.seq, b?.seq]).toEqual([0, 1]);
    expect(spool.pending().map((e) => e.seq)).toEqual([0, 1]);
    expect(await spool.read(1)).toMatchObject({ seq: 1, results: [result('b'), result('c')] });
    await spool.ack(0);
    expect(spool.pending().map((e) => e.seq)).toEqual([1]);
    expect((await readdir(dir)).sort()).toEqual(['0000000000000001.json', 'state.json']);
    expect(await spool.read(0)).toBeNull();
  });

  it('survives a restart: pending batches are recovered and seq keeps growing', async () => {
    const first = await open();
    await first.append([result('a')]);
    await first.append([result('b')]);
    await first.append([result('c')]);
    await first.ack(0);
    await first.ack(2);

    const second = await open();
    expect(second.pending()).toMatchObject([{ seq: 1, recovered: true, results: 1 }]);
    expect((await second.append([result('d')]))?.seq).toBe(3);

    // Everything acked: the state file alone still carries the seq on.
    await second.ack(1);
    await second.ack(3);
    const third = await open();
    expect(third.pending()).toEqual([]);
    expect((await third.append([result('e')]))?.seq).toBe(4);
  });

  it('drops the oldest batches to stay under maxBytes, and counts them across restarts', async () => {
    const probe = await open();
    const size = (await probe.append([result('x')]))!.bytes;
    await probe.ack(0);
    await rm(dir, { recursive: true });

    const spool = await open(size * 3);
    for (const check of ['a', 'b', 'c', 'd', 'e']) await spool.append([result(check)]);
    expect(spool.pending().map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(spool.stats()).toMatchObject({
      droppedBatches: 2,
      droppedResults: 2,
      pendingBytes: size * 3,
    });
    expect(
      (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'state.json'),
    ).toHaveLength(3);

    const reopened = await open(size * 3);
    expect(reopened.stats()).toMatchObject({ droppedBatches: 2, droppedResults: 2, nextSeq: 5 });
  });

  it('skips, removes and reports corrupt or partial files without crashing', async () => {
    const spool = await open();
    await spool.append([result('a')]);
    await spool.append([result('b')]);
    await writeFile(join(dir, '0000000000000000.json'), '{"seq":0,"createdAt":"2026-11-21T10:0'); // cut off
    await writeFile(
      join(dir, '0000000000000007.json'),
      JSON.stringify({ seq: 7, createdAt: 'x', results: [] }),
    );
    await writeFile(join(dir, '.tmp-0000000000000002.json'), '{"seq":2');

    const lines: string[] = [];
    const reopened = await open(
      1024 * 1024,
      createLogger({ level: 'warn', write: (l) => lines.push(l) }),
    );
    expect(reopened.pending().map((e) => e.seq)).toEqual([1]);
    expect((await readdir(dir)).sort()).toEqual(['0000000000000001.json', 'state.json']);
    const warnings = lines.map((l) => JSON.parse(l) as { level: string; file: string });
    expect(warnings.map((w) => [w.level, w.file])).toEqual([
      ['warn', '0000000000000000.json'],
      ['warn', '0000000000000007.json'],
    ]);
    // seq 7 was never a valid batch, but its name still must not be reused.
    expect((await reopened.append([result('c')]))?.seq).toBe(8);
  });

  it('continues seq from the clock when the state file is unreadable', async () => {
    const spool = await open();
    await spool.append([result('a')]);
    await spool.ack(0);
    await writeFile(join(dir, 'state.json'), 'garbage');
    const before = Date.now();
    const reopened = await open();
    expect(reopened.stats().nextSeq).toBeGreaterThanOrEqual(before);
  });
});
