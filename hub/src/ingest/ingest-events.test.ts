import { describe, expect, it } from 'vitest';
import { Slots } from './ingest-events.js';

describe('Slots', () => {
  it('runs at most its size at once, the others in arrival order, and frees a slot on failure', async () => {
    const slots = new Slots(2);
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const task = (name: string, fail = false) =>
      slots.run(
        () =>
          new Promise<string>((resolve, reject) => {
            started.push(name);
            finish.set(name, () => (fail ? reject(new Error(name)) : resolve(name)));
          }),
      );
    const runs = [task('a', true), task('b'), task('c'), task('d')];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b']);
    finish.get('a')!();
    await expect(runs[0]).rejects.toThrow('a');
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b', 'c']);
    finish.get('b')!();
    finish.get('c')!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    finish.get('d')!();
    expect(await Promise.all(runs.slice(1))).toEqual(['b', 'c', 'd']);
  });
});
