import type { Logger } from './logger.js';

/**
 * Typed in-process events between features (docs/architecture.md "Rooms", like Immich's EventMap): ingest emits
 * `check.stateChanged` and never imports ticketing; the incident service listens.
 */
export interface CheckStateChange {
  checkId: string;
  tenantId: string;
  branchId: string;
  agentId: string;
  from: 'unknown' | 'ok' | 'failing';
  to: 'ok' | 'failing';
  /** Time of the result that completed the change. */
  at: Date;
  /**
   * Start of the outage: for `to: 'failing'` the first bad round of the streak, for
   * `to: 'ok'` when the check turned failing (null when it never failed).
   */
  since: Date | null;
  reason: string | null;
}

export interface EventMap {
  'check.stateChanged': CheckStateChange;
  /**
   * First verdicts (unknown → ok: a new check's first good round, or one after its alert
   * expired), emitted in sets by ingest instead of as `check.stateChanged`: nothing waits on
   * them, and a fleet of new agents makes tens of thousands at once.
   */
  'check.firstVerdicts': { changes: CheckStateChange[] };
  'agent.statusChanged': { agentId: string; online: boolean; at: Date };
  /** A check missed two rounds in a row (stale, no data), or its results came back. */
  'check.staleChanged': {
    checkId: string;
    tenantId: string;
    branchId: string;
    agentId: string;
    stale: boolean;
    at: Date;
  };
  /**
   * A ticket was opened or changed (helpdesk; for live updates). `branchId` as the ticket has
   * it (null: none); left out when the emitter does not know it (live streams look it up).
   */
  'ticket.changed': { ticketId: string; tenantId: string; branchId?: string | null; at: Date };
  /** A person's notification centre got an entry (their bell and portal read it again). */
  'inbox.added': { userId: string; tenantId: string; at: Date };
  /** A user's access ended (disabled): their live streams close on every hub process. */
  'access.revoked': { userId: string; at: Date };
}

type Handler<T> = (payload: T) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<keyof EventMap, Handler<never>[]>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  on<K extends keyof EventMap>(name: K, handler: Handler<EventMap[K]>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(name, list);
  }

  /** Runs the handlers one after another; one failing handler is logged, not propagated. */
  emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): Promise<void> {
    const run = this.runHandlers(name, payload);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  /** Resolves once no handler is running, also those started meanwhile (a hub's stop). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async runHandlers<K extends keyof EventMap>(name: K, payload: EventMap[K]) {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await (handler as Handler<EventMap[K]>)(payload);
      } catch (err) {
        this.logger.error({ err, event: name }, 'event handler failed');
      }
    }
  }
}
