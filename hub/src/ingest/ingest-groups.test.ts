import { describe, expect, it } from 'vitest';
import { IngestGroups, type GroupLimits, type GroupMember } from './ingest-groups.js';

type Member = GroupMember<string, string>;

/** Records the groups it is given and settles each member with its batch, or holds them. */
function recorder(limits: Partial<GroupLimits> = {}) {
  const groups: string[][] = [];
  const held: Member[][] = [];
  let hold = false;
  const ingest = new IngestGroups<string, string>(
    { maxBatches: 100, maxWeight: 1000, concurrency: 1, ...limits },
    async (members) => {
      groups.push(members.map((m) => m.batch));
      if (hold) held.push(members);
      else for (const m of members) m.done(m.batch);
    },
  );
  return {
    ingest,
    groups,
    held,
    holdNext: (on: boolean) => (hold = on),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('IngestGroups', () => {
  it('puts batches submitted together into one group, in arrival order', async () => {
    const { ingest, groups } = recorder();
    const done = ['a1', 'b1', 'a2', 'c1'].map((b) => ingest.submit(b[0]!, b, 1));
    expect(await Promise.all(done)).toEqual(['a1', 'b1', 'a2', 'c1']);
    expect(groups).toEqual([['a1', 'b1', 'a2', 'c1']]);
  });

  it('cuts groups at the batch and weight limits, a heavy batch alone', async () => {
    const { ingest, groups } = recorder({ maxBatches: 2, maxWeight: 10 });
    await Promise.all([
      ingest.submit('a', 'a1', 1),
      ingest.submit('b', 'b1', 1),
      ingest.submit('c', 'c1', 1),
      ingest.submit('d', 'd1', 50),
      ingest.submit('e', 'e1', 6),
      ingest.submit('f', 'f1', 6),
    ]);
    expect(groups).toEqual([['a1', 'b1'], ['c1'], ['d1'], ['e1'], ['f1']]);
  });

  it("keeps an agent's later batches out of groups until its earlier ones are settled", async () => {
    const { ingest, groups, held, holdNext } = recorder({ concurrency: 2 });
    holdNext(true);
    const first = [ingest.submit('a', 'a1', 1), ingest.submit('b', 'b1', 1)];
    await tick();
    holdNext(false);
    const later = [ingest.submit('a', 'a2', 1), ingest.submit('c', 'c1', 1)];
    await later[1];
    // c1 went past a2, which waits for a1 to be settled.
    expect(groups).toEqual([['a1', 'b1'], ['c1']]);
    for (const m of held[0]!) m.done(m.batch);
    expect(await Promise.all([...first, ...later])).toEqual(['a1', 'b1', 'a2', 'c1']);
    expect(groups).toEqual([['a1', 'b1'], ['c1'], ['a2']]);
  });

  it('keeps the order of an agent whose batches spill over a full group', async () => {
    const { ingest, groups } = recorder({ maxBatches: 2 });
    await Promise.all(['a1', 'a2', 'a3', 'b1', 'a4'].map((b) => ingest.submit(b[0]!, b, 1)));
    expect(groups).toEqual([['a1', 'a2'], ['a3', 'b1'], ['a4']]);
  });

  it('fails every unsettled member when the commit throws, and goes on', async () => {
    let calls = 0;
    const ingest = new IngestGroups<string, string>(
      { maxBatches: 10, maxWeight: 10, concurrency: 1 },
      async (members) => {
        calls++;
        if (calls === 1) {
          members[0]!.done('kept');
          throw new Error('database gone');
        }
        for (const m of members) m.done(m.batch);
      },
    );
    const outcomes = await Promise.allSettled([
      ingest.submit('a', 'a1', 1),
      ingest.submit('b', 'b1', 1),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)))).toEqual([
      'kept',
      'Error: database gone',
    ]);
    expect(await ingest.submit('b', 'b2', 1)).toBe('b2');
  });
});
