import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { listen, type LiveRepository } from './live.repository.js';

/**
 * What a live client receives. Ids only (with the tenant, to filter on): PostgreSQL caps a
 * NOTIFY payload at 8000 bytes, and a client loads what it shows through the API anyway.
 */
export type LiveEvent =
  | {
      type: 'check.stateChanged';
      tenantId: string;
      checkId: string;
      branchId: string;
      agentId: string;
      to: 'ok' | 'failing';
      at: string;
    }
  | {
      type: 'check.staleChanged';
      tenantId: string;
      checkId: string;
      branchId: string;
      agentId: string;
      stale: boolean;
      at: string;
    }
  | { type: 'ticket.changed'; tenantId: string; ticketId: string; at: string }
  | { type: 'agent.statusChanged'; tenantId: string; agentId: string; online: boolean; at: string };

type Subscriber = (event: LiveEvent) => void;

const RECONNECT_MS = 2000;

/**
 * Live events across hub processes: each process NOTIFYs the events its own bus emits, and
 * every process (itself included) hears them through LISTEN and hands them to its streams.
 * So a client on hub A sees a ticket changed through hub B.
 */
export class LiveEvents {
  readonly #subscribers = new Set<Subscriber>();
  #listener: { close(): Promise<void> } | undefined;
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: LiveRepository,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  /** Forwards the bus's events to every hub process through PostgreSQL. */
  forward(events: EventBus): void {
    events.on('check.stateChanged', (e) =>
      this.publish({
        type: 'check.stateChanged',
        tenantId: e.tenantId,
        checkId: e.checkId,
        branchId: e.branchId,
        agentId: e.agentId,
        to: e.to,
        at: e.at.toISOString(),
      }),
    );
    events.on('check.staleChanged', (e) =>
      this.publish({
        type: 'check.staleChanged',
        tenantId: e.tenantId,
        checkId: e.checkId,
        branchId: e.branchId,
        agentId: e.agentId,
        stale: e.stale,
        at: e.at.toISOString(),
      }),
    );
    events.on('ticket.changed', (e) =>
      this.publish({
        type: 'ticket.changed',
        tenantId: e.tenantId,
        ticketId: e.ticketId,
        at: e.at.toISOString(),
      }),
    );
    events.on('agent.statusChanged', async (e) => {
      const tenantId = await this.repo.tenantOfAgent(e.agentId);
      if (!tenantId) return;
      await this.publish({
        type: 'agent.statusChanged',
        tenantId,
        agentId: e.agentId,
        online: e.online,
        at: e.at.toISOString(),
      });
    });
  }

  async start(): Promise<void> {
    this.#listener = await listen(
      this.databaseUrl,
      (payload) => this.#deliver(payload),
      (err) => this.#reconnect(err),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#subscribers.clear();
    await this.#listener?.close().catch(() => undefined);
  }

  /** Calls `subscriber` with every event of `tenantId` (every tenant's for null: platform admins). */
  subscribe(tenantId: string | null, subscriber: Subscriber): () => void {
    const scoped: Subscriber = (event) => {
      if (tenantId === null || event.tenantId === tenantId) subscriber(event);
    };
    this.#subscribers.add(scoped);
    return () => this.#subscribers.delete(scoped);
  }

  private publish(event: LiveEvent): Promise<void> {
    return this.repo.notify(JSON.stringify(event));
  }

  #deliver(payload: string): void {
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      this.logger.warn({ payload }, 'live event is not JSON');
      return;
    }
    for (const subscriber of this.#subscribers) subscriber(event);
  }

  // Events NOTIFYed while the listener is away are lost; clients reload on `retry` anyway.
  #reconnect(err: Error): void {
    if (this.#stopped) return;
    this.logger.warn({ err }, 'live events listener lost; reconnecting');
    void this.#listener?.close().catch(() => undefined);
    this.#retry = setTimeout(() => {
      this.start().catch((e: unknown) => this.#reconnect(e as Error));
    }, RECONNECT_MS);
    this.#retry.unref();
  }
}
