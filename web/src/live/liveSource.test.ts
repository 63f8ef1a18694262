import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LIVE_STREAM_PATH, liveSource, parseLiveEvent, setLiveStreamPath } from './liveSource';

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

describe('the live stream when the hub refuses it', () => {
  let asked: number[];
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    asked = [];
  });
  afterEach(() => {
    setLiveStreamPath(LIVE_STREAM_PATH);
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });
  /** The hub's answer to a plain request of the stream (why EventSource gave up). */
  const hubAnswers = (status: number) =>
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        asked.push(status);
        return new Response(null, { status });
      }),
    );
  const watch = () =>
    liveSource(async () => 1, { types: ['ticket.changed'], fallbackMs: 10_000 }).subscribe({
      next: () => undefined,
      error: () => undefined,
    });
  /** The browser gives up on the stream, as on any answer but a 200 event stream. */
  const fails = (stream: FakeEventSource) => {
    stream.readyState = FakeEventSource.CLOSED;
    stream.onerror?.();
  };

  it('asks once why, and never opens a refused stream again', async () => {
    setLiveStreamPath('/refused/stream');
    hubAnswers(403);
    const stop = watch();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeEventSource.instances.map((s) => s.url)).toEqual(['/refused/stream']);
    fails(FakeEventSource.instances[0]!);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(asked).toEqual([403]);
    // Another page of the same person does not ask again either.
    const again = watch();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    stop();
    again();
  });

  it('opens again later a stream that failed for another reason (a hub restarting)', async () => {
    setLiveStreamPath('/restarting/stream');
    hubAnswers(503);
    const stop = watch();
    await vi.advanceTimersByTimeAsync(0);
    fails(FakeEventSource.instances[0]!);
    await vi.advanceTimersByTimeAsync(14_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(asked).toEqual([503]);
    stop();
  });

  it('opens no stream for a person who may read none', async () => {
    setLiveStreamPath(null);
    let loads = 0;
    const stop = liveSource(async () => ++loads, {
      types: ['ticket.changed'],
      fallbackMs: 10_000,
    }).subscribe({ next: () => undefined, error: () => undefined });
    await vi.advanceTimersByTimeAsync(25_000);
    expect(FakeEventSource.instances).toEqual([]);
    // The page polls instead.
    expect(loads).toBe(3);
    stop();
  });
});
