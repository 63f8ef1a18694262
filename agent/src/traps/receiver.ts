// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- net-snmp has no types; test/tsconfig.json compiles this file too, without agent/src in its include
/// <reference path="../probes/snmp/net-snmp.d.ts" />
import {
  MAX_EVENTS_PER_PAYLOAD,
  type EventsPayload,
  type SnmpTrapEvent,
} from '@branchwatch/contract';
import snmp, { type Receiver } from 'net-snmp';
import type { Logger } from '../log.js';
import { toUser } from '../probes/snmp/session.js';
import type { TrapsConfig } from './config.js';
import { toTrapEvent } from './varbinds.js';

export interface TrapReceiverOptions {
  config: TrapsConfig;
  /** The agent's id, for the payload. */
  agent: string;
  /** Hands a payload to the publisher. */
  publish(payload: EventsPayload): Promise<void>;
  log: Logger;
  /** Traps arriving within this long go out together. Default 1000 ms. */
  flushMs?: number;
}

/**
 * Receives SNMP notifications (v1, v2c, v3; traps and informs, RFC 3413 §3.2) and forwards them
 * as events. A storm is folded into few payloads: events wait up to `flushMs`, at most
 * MAX_EVENTS_PER_PAYLOAD each; the sender is never slowed down.
 */
export class TrapReceiver {
  readonly #options: TrapReceiverOptions;
  readonly #receiver: Receiver;
  #pending: SnmpTrapEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(options: TrapReceiverOptions) {
    this.#options = options;
    const { config, log } = options;
    this.#receiver = snmp.createReceiver(
      { port: config.port, address: config.address, includeAuthentication: true },
      (error, notification) => {
        if (error || !notification) {
          // Unknown communities and users land here too: worth a line, never a crash.
          log.warn('snmp notification refused', { err: error?.message ?? 'empty' });
          return;
        }
        const event = toTrapEvent(notification, new Date());
        if (event) this.#add(event);
        else
          log.warn('snmp notification without a trap OID', { source: notification.rinfo.address });
      },
    );
    const authorizer = this.#receiver.getAuthorizer();
    for (const community of config.communities) authorizer.addCommunity(community);
    for (const user of config.users) authorizer.addUser(toUser(user));
  }

  /** Sends what is pending and stops listening. */
  close(): Promise<void> {
    this.#flush();
    return new Promise((resolve) => this.#receiver.close(() => resolve()));
  }

  #add(event: SnmpTrapEvent): void {
    if (this.#pending.length >= MAX_EVENTS_PER_PAYLOAD) this.#flush();
    this.#pending.push(event);
    this.#timer ??= setTimeout(() => this.#flush(), this.#options.flushMs ?? 1000);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const events = this.#pending;
    this.#pending = [];
    this.#options.publish({ v: 1, agent: this.#options.agent, events }).catch((err: Error) => {
      this.#dropped += events.length;
      this.#options.log.error('snmp events not published', {
        err: err.message,
        dropped: this.#dropped,
      });
    });
  }
}
