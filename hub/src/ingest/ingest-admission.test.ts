import { describe, expect, it } from 'vitest';
import { Admission } from './ingest-admission.js';

const tick = () => new Promise((r) => setImmediate(r));

/** A task that runs until its test lets it end. */
function held() {
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const task = (name: string) => () => {
    started.push(name);
    return new Promise<string>((resolve) => release.set(name, () => resolve(name)));
  };
  return { started, task, end: (name: string) => release.get(name)!() };
}

describe('Admission', () => {
  it('holds at most the bound of batches; the next ones wait and enter in arrival order', async () => {
    let full = 0;
    const queue = new Admission({ maxBatches: 2, maxBytes: 1_000_000 }, () => full++);
    const { started, task, end } = held();
    const runs = ['a', 'b', 'c', 'd'].map((n) => queue.run(10, task(n)));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect([queue.held, queue.waiting, full]).toEqual([2, 2, 2]);
    end('b');
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    expect([queue.held, queue.waiting]).toEqual([2, 1]);
    end('a');
    end('c');
    await tick();
    end('d');
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd']);
    expect([queue.held, queue.waiting]).toEqual([0, 0]);
  });

  it('bounds the bytes held; a batch larger than the bound enters alone', async () => {
    const queue = new Admission({ maxBatches: 100, maxBytes: 100 });
    const { started, task, end } = held();
    const runs = [
      queue.run(60, task('a')),
      queue.run(60, task('b')),
      queue.run(500, task('huge')),
      queue.run(10, task('c')),
    ];
    await tick();
    expect(started).toEqual(['a']);
    end('a');
    await tick();
    // b alone is 60 bytes; the huge batch does not fit beside it, and c waits behind it.
    expect(started).toEqual(['a', 'b']);
    end('b');
    await tick();
    expect(started).toEqual(['a', 'b', 'huge']);
    end('huge');
    await tick();
    end('c');
    await Promise.all(runs);
    expect(queue.held).toBe(0);
  });

  it('frees the room of a batch whose handling fails', async () => {
    const queue = new Admission({ maxBatches: 1, maxBytes: 1000 });
    await expect(queue.run(10, () => Promise.reject(new Error('database gone')))).rejects.toThrow(
      'database gone',
    );
    expect(await queue.run(10, async () => 'next')).toBe('next');
    expect(queue.held).toBe(0);
  });
});
