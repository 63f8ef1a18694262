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
  'agent.statusChanged': { agentId: string; online: boolean; at: Date };
  /** A ticket was opened or changed (helpdesk; for live updates). */
  'ticket.changed': { ticketId: string; tenantId: string; at: Date };
}

type Handler<T> = (payload: T) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<keyof EventMap, Handler<never>[]>();

  constructor(private readonly logger: Logger) {}

  on<K extends keyof EventMap>(name: K, handler: Handler<EventMap[K]>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(name, list);
  }

  /** Runs the handlers one after another; one failing handler is logged, not propagated. */
  async emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await (handler as Handler<EventMap[K]>)(payload);
      } catch (err) {
        this.logger.error({ err, event: name }, 'event handler failed');
      }
    }
  }
}
