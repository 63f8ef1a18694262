import {
  MAX_RESULTS_BYTES,
  encodeAgentStatus,
  encodeEvents,
  encodeInventory,
  encodeResultsBatch,
  mqttClientId,
  topics,
  type AgentAddress,
  type EventsPayload,
  type Inventory,
} from '@branchwatch/contract';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log.js';
import type { ConfigReport } from '../remote-config.js';
import type { Spool, SpoolEntry, SpooledBatch } from '../spool/spool.js';
import { superviseReconnects } from './reconnect.js';

export interface PublisherOptions {
  url: string;
  username: string;
  password: string;
  address: AgentAddress;
  spool: Spool;
  /** The batch interval: a batch older than twice this when sent is flagged `replayed`. */
  batchIntervalSeconds: number;
  log: Logger;
  /** Reported in the online status. */
  version?: string;
  /** Batches sent and not yet acknowledged, at most. Default 8. */
  inFlightWindow?: number;
  /** First delay before reconnecting, doubled per failure in a row (with jitter). Default 1000 ms. */
  reconnectPeriodMs?: number;
  /** Longest delay between attempts while failures may be temporary. Default 30 000 ms. */
  maxReconnectDelayMs?: number;
  /** Delay after a refusal that will not pass by itself (bad credentials). Default 300 000 ms. */
  refusedReconnectDelayMs?: number;
  /** Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** How long stop() waits for the broker to take the offline status. Default 2000 ms. */
  stopTimeoutMs?: number;
  /** Receives each message on the agent's config topic (retained: once per connect). */
  onConfig?: (payload: Buffer) => void;
  /** What the agent says about its config in its online status. */
  configReport?: () => ConfigReport;
}

export interface PublisherStats {
  connected: boolean;
  inFlight: number;
  /** Batches the broker acknowledged (PUBACK), since start. */
  acked: number;
  /** Publishes that returned an error; those batches stay in the spool and are sent again. */
  failed: number;
}

/**
 * Sends the spool to the broker: every pending batch, oldest first, QoS 1, with a small window
 * of batches in flight. A batch leaves the spool only when its PUBACK arrives; until then it
 * stays on disk and is sent again after an error. The hub de-duplicates on (agent, seq), so a
 * second copy is harmless, but none is made needlessly: mqtt.js itself re-sends its in-flight
 * QoS 1 messages after a reconnect, so a batch in flight is never published again by us.
 */
export class Publisher {
  readonly #options: PublisherOptions;
  readonly #log: Logger;
  readonly #window: number;
  readonly #inFlight = new Set<number>();
  readonly #attempts = new Map<number, number>();
  readonly #resultsTopic: string;
  readonly #statusTopic: string;
  readonly #configTopic: string;
  #client?: MqttClient;
  #pumping = false;
  #pumpAgain = false;
  #stopping = false;
  #acked = 0;
  #failed = 0;
  #reportedDrops = -1;

  constructor(options: PublisherOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'publisher' });
    this.#window = options.inFlightWindow ?? 8;
    this.#resultsTopic = topics.results(options.address);
    this.#statusTopic = topics.status(options.address);
    this.#configTopic = topics.config(options.address);
  }

  start(): void {
    const { address, url, username, password } = this.#options;
    const client = mqtt.connect(url, {
      // The embedded aedes broker speaks MQTT 3.1.1 only (aedes 1.x has no MQTT 5).
      protocolVersion: 4,
      // The spool, not the broker session, is what survives: nothing is lost with a clean session.
      clean: true,
      // The broker accepts an agent only under its own id (contract: mqttClientId).
      clientId: mqttClientId(address),
      username,
      password,
      // Set per attempt by superviseReconnects, which also needs reconnectOnConnackError:
      // without it mqtt.js gives up after the first refused CONNACK.
      reconnectPeriod: this.#options.reconnectPeriodMs ?? 1000,
      reconnectOnConnackError: true,
      connectTimeout: this.#options.connectTimeoutMs ?? 10_000,
      will: this.#will(),
      // mqtt-packet's number cache holds 65,536 two-byte Buffers (about 7 MB of heap) to save an
      // allocation per packet; an agent sends a few packets a second.
      writeCache: false,
    });
    this.#client = client;
    superviseReconnects(client, {
      url,
      log: this.#log,
      baseMs: this.#options.reconnectPeriodMs ?? 1000,
      maxMs: this.#options.maxReconnectDelayMs ?? 30_000,
      refusedMs: this.#options.refusedReconnectDelayMs ?? 300_000,
    });
    client.on('connect', () => this.#onConnect());
    client.on('message', (topic, payload) => {
      if (topic === this.#configTopic) this.#options.onConfig?.(payload);
    });
    // The will says when it was armed; re-arm it with a fresh time before every reconnect.
    client.on('reconnect', () => {
      client.options.will = this.#will();
    });
  }

  /** A batch was added to the spool. */
  notify(): void {
    // The spool's size bound may have dropped batches: the hub hears it with the next status.
    const dropped = this.#options.spool.stats().droppedBatches;
    if (dropped !== this.#reportedDrops) this.publishStatus();
    void this.#pump();
  }

  /** The agent's whole discovered view, QoS 1 (mqtt.js holds it while offline). */
  publishInventory(payload: Inventory): Promise<void> {
    return this.#publishSide(topics.inventory(this.#options.address), encodeInventory(payload));
  }

  /** Forwarded events (SNMP traps), QoS 1 (mqtt.js holds them while offline). */
  publishEvents(payload: EventsPayload): Promise<void> {
    return this.#publishSide(topics.events(this.#options.address), encodeEvents(payload));
  }

  async #publishSide(topic: string, payload: string): Promise<void> {
    if (!this.#client || this.#stopping) throw new Error('publisher is not running');
    await this.#client.publishAsync(topic, payload, { qos: 1 });
  }

  stats(): PublisherStats {
    return {
      connected: this.#client?.connected ?? false,
      inFlight: this.#inFlight.size,
      acked: this.#acked,
      failed: this.#failed,
    };
  }

  /**
   * Publishes the offline status (a clean disconnect does not fire the will, [MQTT-3.14.4-3])
   * and disconnects. Batches not yet acknowledged stay in the spool for the next start.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    const client = this.#client;
    if (!client) return;
    if (client.connected) {
      // Unlike the will (armed at connect), a clean stop knows what its spool holds now.
      const offline = this.#status('offline', { spool: true });
      await withTimeout(
        client.publishAsync(this.#statusTopic, offline, { qos: 1, retain: true }),
        this.#options.stopTimeoutMs ?? 2000,
      ).catch((err: Error) => this.#log.warn('offline status not sent', { err: err.message }));
    }
    await client.endAsync(true);
  }

  /** Says online again, e.g. with a new config report. Dropped while disconnected. */
  publishStatus(): void {
    if (!this.#client?.connected || this.#stopping) return;
    this.#reportedDrops = this.#options.spool.stats().droppedBatches;
    this.#client.publish(
      this.#statusTopic,
      this.#status('online'),
      { qos: 1, retain: true },
      (err) => {
        if (err) this.#log.warn('online status not sent', { err: err.message });
      },
    );
  }

  #onConnect(): void {
    this.publishStatus();
    if (this.#options.onConfig) {
      // The hub keeps the config retained: subscribing (again) on every connect delivers it.
      this.#client?.subscribe(this.#configTopic, { qos: 1 }, (err) => {
        if (err) this.#log.warn('could not subscribe to the config topic', { err: err.message });
      });
    }
    void this.#pump();
  }

  /** Sends pending batches until the window is full; re-entrant calls fold into one more pass. */
  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        await this.#fillWindow();
      } while (this.#pumpAgain);
    } catch (err) {
      this.#log.error('sending from the spool failed', { err });
    } finally {
      this.#pumping = false;
    }
  }

  async #fillWindow(): Promise<void> {
    const spool = this.#options.spool;
    for (const entry of spool.pending()) {
      if (this.#inFlight.size >= this.#window) return;
      if (!this.#client?.connected || this.#stopping) return;
      if (this.#inFlight.has(entry.seq)) continue;
      const batch = await spool.read(entry.seq);
      if (batch === null || this.#inFlight.has(entry.seq)) continue;
      this.#send(entry, batch);
    }
  }

  #send(entry: SpoolEntry, batch: SpooledBatch): void {
    const { seq } = entry;
    const attempts = this.#attempts.get(seq) ?? 0;
    const now = Date.now();
    const late = now - entry.createdAt > 2 * this.#options.batchIntervalSeconds * 1000;
    let payload: string;
    try {
      payload = encodeResultsBatch({
        v: 1,
        agent: this.#options.address.agent,
        seq,
        sentAt: new Date(now).toISOString(),
        replayed: entry.recovered || attempts > 0 || late,
        results: batch.results,
      });
    } catch (err) {
      // Results are validated before they enter the spool, so this is a bug; a batch that can
      // never be encoded would otherwise block the window forever.
      this.#log.error('batch cannot be encoded; dropping it', { seq, err });
      void this.#options.spool.ack(seq);
      return;
    }
    if (Buffer.byteLength(payload) > MAX_RESULTS_BYTES) {
      this.#log.error('batch exceeds MAX_RESULTS_BYTES; the hub will refuse it', { seq });
    }
    this.#inFlight.add(seq);
    this.#attempts.set(seq, attempts + 1);
    this.#client?.publish(this.#resultsTopic, payload, { qos: 1 }, (err) => {
      this.#inFlight.delete(seq);
      if (err) {
        // It stays in the spool; the next pass (after reconnect, or the next batch) sends it again.
        this.#failed++;
        this.#log.warn('batch not acknowledged; it stays in the spool', { seq, err: err.message });
        return;
      }
      this.#acked++;
      this.#attempts.delete(seq);
      void this.#options.spool
        .ack(seq)
        .catch((ackErr: Error) =>
          this.#log.error('cannot remove an acknowledged batch', { seq, err: ackErr.message }),
        )
        .then(() => this.#pump());
    });
  }

  #status(state: 'online' | 'offline', { spool = state === 'online' } = {}): string {
    const { version } = this.#options;
    return encodeAgentStatus({
      v: 1,
      agent: this.#options.address.agent,
      state,
      at: new Date().toISOString(),
      ...(version ? { version } : {}),
      ...(state === 'online' && this.#options.configReport
        ? { config: this.#options.configReport() }
        : {}),
      ...(spool ? { spool: this.#spoolReport() } : {}),
    });
  }

  #spoolReport() {
    const { pendingBatches, droppedBatches, droppedResults } = this.#options.spool.stats();
    return { pendingBatches, droppedBatches, droppedResults };
  }

  #will() {
    return {
      topic: this.#statusTopic,
      payload: Buffer.from(this.#status('offline')),
      qos: 1 as const,
      retain: true,
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
