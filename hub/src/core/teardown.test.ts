import { expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { Teardown } from './teardown.js';

it('stops in the reverse order and carries on past a step that fails', async () => {
  const stopped: string[] = [];
  const teardown = new Teardown(createLogger('silent'));
  teardown.add('database', () => stopped.push('database'));
  teardown.add('broker', () => {
    throw new Error('socket already closed');
  });
  teardown.add('http', async () => {
    await new Promise((r) => setTimeout(r, 5));
    stopped.push('http');
  });
  expect(await teardown.run()).toEqual(['broker']);
  expect(stopped).toEqual(['http', 'database']);
  // Each step runs once.
  expect(await teardown.run()).toEqual([]);
  expect(stopped).toEqual(['http', 'database']);
});

it('goes on past a step that never finishes, and names it', async () => {
  const stopped: string[] = [];
  const teardown = new Teardown(createLogger('silent'), 50);
  teardown.add('database', () => stopped.push('database'));
  teardown.add('job queue', () => new Promise(() => undefined));
  teardown.add('http', () => stopped.push('http'));
  expect(await teardown.run()).toEqual(['job queue']);
  expect(stopped).toEqual(['http', 'database']);
});
