import type { CheckStateChange, EventBus } from '../core/events.js';
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
  | {
      type: 'ticket.changed';
      tenantId: string;
      ticketId: string;
      /** The ticket's branch; null when it has none. */
      branchId: string | null;
      at: string;
    }
  | {
      /** The person's notification centre has a new entry: only their own streams get it. */
      type: 'inbox.added';
      tenantId: string;
      userId: string;
      branchId: null;
      at: string;
    }
  | {
      type: 'agent.statusChanged';
      tenantId: string;
      agentId: string;
      branchId: string;
      online: boolean;
      at: string;
    };

/** Between hub processes only, never to a client: a user's streams must close. */
interface AccessRevoked {
  type: 'access.revoked';
  userId: string;
}

type Subscriber = (event: LiveEvent) => void;

/** Who a stream is for: what row-level security would let them read (db/request-scope.ts). */
export interface LiveAudience {
  userId: string;
  /** Null: every tenant (platform admins). */
  tenantId: string | null;
  /** Empty: every branch of the tenant. */
  branchIds: readonly string[];
}

/**
 * Whether an event is about something the audience may read, by the rules of the row-level
 * security policies (migration 010): the tenant's rows, and with branches, only rows of those
 * branches — a ticket without a branch is not among them.
 */
export function visibleTo(audience: LiveAudience, event: LiveEvent): boolean {
  if (audience.tenantId !== null && event.tenantId !== audience.tenantId) return false;
  // A notification centre is its person's alone (031-inbox's policy keeps them to it too).
  if (event.type === 'inbox.added') return event.userId === audience.userId;
  if (audience.branchIds.length === 0) return true;
  return event.branchId !== null && audience.branchIds.includes(event.branchId);
}

interface Stream {
  audience: LiveAudience;
  send: Subscriber;
  close: () => void;
}

const RECONNECT_MS = 2000;

/**
 * Live events across hub processes: each process NOTIFYs the events its own bus emits, and
 * every process (itself included) hears them through LISTEN and hands them to its streams.
 * So a client on hub A sees a ticket changed through hub B.
 */
export class LiveEvents {
  readonly #streams = new Set<Stream>();
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
    events.on('check.stateChanged', (e) => this.publish(stateChanged(e)));
    // One statement for the set: PostgreSQL sends each payload as its own notification.
    events.on('check.firstVerdicts', ({ changes }) =>
      this.repo.notifyAll(changes.map((e) => JSON.stringify(stateChanged(e)))),
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
    events.on('ticket.changed', async (e) => {
      const branchId =
        e.branchId === undefined ? await this.repo.branchOfTicket(e.ticketId) : e.branchId;
      await this.publish({
        type: 'ticket.changed',
        tenantId: e.tenantId,
        ticketId: e.ticketId,
        branchId: branchId ?? null,
        at: e.at.toISOString(),
      });
    });
    events.on('agent.statusChanged', async (e) => {
      const place = await this.repo.placeOfAgent(e.agentId);
      if (!place) return;
      await this.publish({
        type: 'agent.statusChanged',
        ...place,
        agentId: e.agentId,
        online: e.online,
        at: e.at.toISOString(),
      });
    });
    events.on('inbox.added', (e) =>
      this.publish({
        type: 'inbox.added',
        tenantId: e.tenantId,
        userId: e.userId,
        branchId: null,
        at: e.at.toISOString(),
      }),
    );
    events.on('access.revoked', (e) => this.publish({ type: 'access.revoked', userId: e.userId }));
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
    for (const stream of this.#streams) stream.close();
    this.#streams.clear();
    await this.#listener?.close().catch(() => undefined);
  }

  /**
   * Calls `send` with every event the audience may read (`visibleTo`), and `close` when the
   * user's access is revoked (on any hub process) or the hub stops. Returns the unsubscribe.
   */
  subscribe(audience: LiveAudience, send: Subscriber, close: () => void): () => void {
    const stream: Stream = { audience, send, close };
    this.#streams.add(stream);
    return () => this.#streams.delete(stream);
  }

  private publish(event: LiveEvent | AccessRevoked): Promise<void> {
    return this.repo.notify(JSON.stringify(event));
  }

  #deliver(payload: string): void {
    let event: LiveEvent | AccessRevoked;
    try {
      event = JSON.parse(payload) as LiveEvent | AccessRevoked;
    } catch {
      this.logger.warn({ payload }, 'live event is not JSON');
      return;
    }
    for (const stream of [...this.#streams]) {
      if (event.type === 'access.revoked') {
        if (stream.audience.userId === event.userId) {
          this.#streams.delete(stream);
          stream.close();
        }
      } else if (visibleTo(stream.audience, event)) stream.send(event);
    }
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

function stateChanged(e: CheckStateChange): LiveEvent {
  return {
    type: 'check.stateChanged',
    tenantId: e.tenantId,
    checkId: e.checkId,
    branchId: e.branchId,
    agentId: e.agentId,
    to: e.to,
    at: e.at.toISOString(),
  };
}
