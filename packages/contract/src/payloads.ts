import { z } from 'zod';
import { probeResult } from './results/index.js';
import { TOPIC_SEGMENT } from './topics.js';

/** Version of every payload below. A payload with another `v` is refused, never guessed at. */
export const CONTRACT_VERSION = 1;

/** Upper bound of one results payload on the wire. The agent splits batches to stay below it. */
export const MAX_RESULTS_BYTES = 1024 * 1024;
/** Upper bound of results in one batch. */
export const MAX_RESULTS_PER_BATCH = 2000;
/** Upper bound of config payloads. */
export const MAX_SMALL_PAYLOAD_BYTES = 64 * 1024;
/** Upper bound of a status payload: it lists every check the agent runs. */
export const MAX_STATUS_BYTES = 256 * 1024;
/** Checks an agent runs at most: those of its file and those the hub hands over. */
export const MAX_CHECKS_PER_AGENT = 2000;
/** Refused checks an agent lists in its status at most (the first ones, by the config's order). */
export const MAX_REFUSED_LISTED = 100;

const id = z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"');
const instant = z.iso.datetime({ offset: true });

export const resultsBatch = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  agent: id,
  /** Per-agent sequence number; it only grows, across restarts too. */
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sentAt: instant,
  /** True when the batch was held back (link down, agent restart) and is sent late from the spool. */
  replayed: z.boolean(),
  results: z.array(probeResult).max(MAX_RESULTS_PER_BATCH),
});

export const agentStatus = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  agent: id,
  /** `offline` is the agent's last will, published by the broker when the agent vanishes. */
  state: z.enum(['online', 'offline']),
  /** For `online`: when the agent connected. For the will: when it was armed, at connect. */
  at: instant,
  version: z.string().max(64).optional(),
  /**
   * Which hub config the agent runs. `revision` is the one applied (null: none yet, only the
   * file's checks run); `error` says why the newest one could not be read at all (the agent
   * then keeps the previous checks). The agent runs the file's checks and the hub's together.
   */
  config: z
    .strictObject({
      revision: z.number().int().nonnegative().nullable(),
      error: z
        .strictObject({ revision: z.number().int().nonnegative(), message: z.string().max(2000) })
        .optional(),
      /** Checks of the applied hub config that the agent does not run, each with the reason. */
      refused: z
        .array(z.strictObject({ id, message: z.string().max(500) }))
        .max(MAX_REFUSED_LISTED)
        .optional(),
      /**
       * Every check the agent runs, where it comes from and how often it runs, so that the hub
       * shows one list and knows when a check has missed its rounds. A hub check replaces a
       * file check of the same id.
       */
      checks: z
        .array(
          z.strictObject({
            id,
            source: z.enum(['file', 'hub']),
            intervalSeconds: z.number().positive().max(86400),
            /** A hub check that replaces a check of the same id in the agent's file. */
            replacesFile: z.boolean().optional(),
          }),
        )
        .max(MAX_CHECKS_PER_AGENT)
        .optional(),
      /** The schedule of checks that set none (the file's `defaults`). */
      defaults: z
        .strictObject({
          intervalSeconds: z.number().positive().max(86400),
          timeoutSeconds: z.number().positive().max(3600),
        })
        .optional(),
    })
    .optional(),
  /**
   * The agent's on-disk spool: batches waiting for the hub, and what the size bound made it
   * drop (oldest first) since the spool was created.
   */
  spool: z
    .strictObject({
      pendingBatches: z.number().int().nonnegative(),
      droppedBatches: z.number().int().nonnegative(),
      droppedResults: z.number().int().nonnegative(),
    })
    .optional(),
});

/** One check as the hub hands it to an agent; `options` are validated by the probe itself. */
export const checkSpec = z.strictObject({
  id,
  type: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  target: z.string().min(1, 'required').max(255),
  intervalSeconds: z
    .number()
    .positive('must be more than 0 seconds')
    .max(86400, 'must be at most 86400 seconds (a day)')
    .optional(),
  timeoutSeconds: z
    .number()
    .positive('must be more than 0 seconds')
    .max(3600, 'must be at most 3600 seconds (an hour)')
    .optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const agentConfig = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  /** Grows with every change the hub makes; the agent reports the one it applied. */
  revision: z.number().int().nonnegative(),
  checks: z.array(checkSpec).max(1000),
});

export type ResultsBatch = z.infer<typeof resultsBatch>;
export type AgentStatus = z.infer<typeof agentStatus>;
export type CheckSpec = z.infer<typeof checkSpec>;
export type AgentConfig = z.infer<typeof agentConfig>;

/** Every probe type the contract knows, from the result union. */
export const PROBE_TYPES: readonly string[] = probeResult.options.map((o) => o.shape.type.value);
