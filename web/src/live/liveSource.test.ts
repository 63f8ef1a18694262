import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveSource, parseLiveEvent } from './liveSource';

describe('parseLiveEvent', () => {
  it("keeps the ids of the hub's event data and nothing else", () => {
    const data = JSON.stringify({
      type: 'check.stateChanged',
      tenantId: 'tn',
      checkId: 'c1',
      branchId: 'b1',
      agentId: 'a1',
      to: 'failing',
      at: '2026-11-21T10:00:00Z',
    });
    expect(parseLiveEvent('check.stateChanged', data)).toEqual({
      type: 'check.stateChanged',
      tenantId: 'tn',
      checkId: 'c1',
      branchId: 'b1',
      agentId: 'a1',
    });
  });

  it('falls back to the type alone for data that is not a JSON object', () => {
    expect(parseLiveEvent('ticket.changed', 'not json')).toEqual({ type: 'ticket.changed' });
    expect(parseLiveEvent('ticket.changed', '42')).toEqual({ type: 'ticket.changed' });
    expect(parseLiveEvent('ticket.changed', undefined)).toEqual({ type: 'ticket.changed' });
  });
});

/** The browser's EventSource as far as liveSource uses it; tests open it and send events. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  readonly handlers = new Map<string, (message: { data: string }) => void>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, handler: (message: { data: string }) => void) {
    this.handlers.set(type, handler);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(type: string, data: object) {
    this.handlers.get(type)?.({ data: JSON.stringify({ type, ...data }) });
  }
}

describe('liveSource', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reloads only for the events it accepts, and shares one stream across a swap', async () => {
    let loads = 0;
    const source = (ticketId: string) =>
      liveSource(async () => ++loads, {
        types: ['ticket.changed'],
        fallbackMs: 60_000,
        accepts: (event) => event.ticketId === ticketId,
      });
    const seen: number[] = [];
    const stop = source('t1').subscribe({ next: (n) => seen.push(n), error: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    const stream = FakeEventSource.instances[0]!;
    stream.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1, 2]); // the first load, then one for what happened before it opened

    stream.send('ticket.changed', { ticketId: 't2' });
    stream.send('check.stateChanged', { checkId: 'c1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1, 2]);
    stream.send('ticket.changed', { ticketId: 't1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1, 2, 3]);

    // The page moves on to another source: the stream stays, already open.
    stop();
    const next: number[] = [];
    const stopNext = source('t9').subscribe({ next: (n) => next.push(n), error: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(next).toEqual([4]);
    stopNext();
    await vi.advanceTimersByTimeAsync(5000);
    expect(stream.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('makes one more load for a burst of events, no sooner than the gap allows', async () => {
    let loads = 0;
    const starts: number[] = [];
    const t0 = Date.now();
    const stop = liveSource(
      async () => {
        starts.push(Date.now() - t0);
        return ++loads;
      },
      { types: ['check.stateChanged'], fallbackMs: 60_000, minGapMs: 2000 },
    ).subscribe({ next: () => undefined, error: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    const stream = FakeEventSource.instances.at(-1)!;
    stream.open();
    await vi.advanceTimersByTimeAsync(0);
    // The first load, then the one for the opened stream held until 2 s after it.
    expect(starts).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(starts).toEqual([0, 2000]);
    for (let i = 0; i < 5; i++) stream.send('check.stateChanged', { checkId: `c${i}` });
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toEqual([0, 2000]);
    await vi.advanceTimersByTimeAsync(1900);
    expect(starts).toEqual([0, 2000, 4000]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(starts).toEqual([0, 2000, 4000]);
    stop();
  });
});
