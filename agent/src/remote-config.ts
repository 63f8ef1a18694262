import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MAX_REFUSED_LISTED,
  decodeAgentConfig,
  encodeAgentConfig,
  type AgentConfig,
  type AgentStatus,
} from '@branchwatch/contract';
import {
  resolveRemoteChecks,
  type CheckConfig,
  type CheckDefaults,
  type RefusedCheck,
} from './config.js';
import type { Logger } from './log.js';
import { writeFileAtomic } from './spool/atomic.js';

/** What the agent tells the hub about its config, on its status topic. */
export type ConfigReport = NonNullable<AgentStatus['config']>;

const SAVED_CONFIG = 'hub-config.json';

/**
 * The checks the agent runs: those of its own file and those the hub hands over on the
 * agent's config topic, together. A hub check replaces a file check of the same id (the hub's
 * UI says so before it saves one). Each hub check is validated like the file's; one the agent
 * cannot run is refused alone and reported with the reason, and the others run. The last hub
 * config is saved in the agent's state folder, so that an agent restarted while the hub is
 * unreachable runs the hub's checks too.
 */
export class RemoteConfig {
  #revision: number | null = null;
  #error: { revision: number; message: string } | undefined;
  #hubChecks: CheckConfig[] = [];
  #refused: RefusedCheck[] = [];

  constructor(
    private readonly options: {
      stateDir: string;
      defaults: CheckDefaults;
      /** The checks of the agent's own file. */
      fileChecks: readonly CheckConfig[];
      apply(checks: CheckConfig[]): void;
      log: Logger;
    },
  ) {}

  /** Every check to run now: the file's, less those a hub check replaces, then the hub's. */
  checks(): CheckConfig[] {
    const fromHub = new Set(this.#hubChecks.map((c) => c.id));
    return [...this.options.fileChecks.filter((c) => !fromHub.has(c.id)), ...this.#hubChecks];
  }

  report(): ConfigReport {
    const fromHub = new Set(this.#hubChecks.map((c) => c.id));
    const inFile = new Set(this.options.fileChecks.map((c) => c.id));
    return {
      revision: this.#revision,
      ...(this.#error ? { error: this.#error } : {}),
      ...(this.#refused.length > 0
        ? {
            refused: this.#refused
              .slice(0, MAX_REFUSED_LISTED)
              .map(({ id, message }) => ({ id, message: message.slice(0, 500) })),
          }
        : {}),
      checks: this.checks().map((c) =>
        fromHub.has(c.id)
          ? {
              id: c.id,
              source: 'hub' as const,
              intervalSeconds: c.intervalSeconds,
              ...(inFile.has(c.id) ? { replacesFile: true } : {}),
            }
          : { id: c.id, source: 'file' as const, intervalSeconds: c.intervalSeconds },
      ),
      defaults: this.options.defaults,
    };
  }

  /** Loads the hub config saved by an earlier run, if any; `checks()` then includes it. */
  async restore(): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(this.options.stateDir, SAVED_CONFIG), 'utf8');
    } catch {
      return;
    }
    const decoded = decodeAgentConfig(text);
    if (!decoded.ok) {
      this.options.log.warn('ignoring an unreadable saved hub config', {
        err: decoded.error.message,
      });
      return;
    }
    this.#take(decoded.value);
  }

  /**
   * Handles one config message. Returns true when the report changed (the caller then
   * publishes a status). The broker redelivers the retained config on every reconnect: a
   * revision already in force is not applied again.
   */
  async receive(payload: Buffer): Promise<boolean> {
    const decoded = decodeAgentConfig(payload);
    if (!decoded.ok) {
      return this.#refuse(revisionOf(payload), `config from the hub: ${decoded.error.message}`);
    }
    const config = decoded.value;
    if (config.revision === this.#revision && !this.#error) return false;
    this.#take(config);
    this.options.apply(this.checks());
    this.options.log.info('applied config from the hub', {
      revision: config.revision,
      hubChecks: this.#hubChecks.length,
      fileChecks: this.options.fileChecks.length,
      refused: this.#refused.length,
    });
    await writeFileAtomic(this.options.stateDir, SAVED_CONFIG, encodeAgentConfig(config)).catch(
      (err: Error) => this.options.log.warn('could not save the hub config', { err: err.message }),
    );
    return true;
  }

  #take(config: AgentConfig): void {
    const { checks, refused } = resolveRemoteChecks(config.checks, this.options.defaults);
    for (const { id, message } of refused) {
      this.options.log.error('refused a check from the hub; the other checks run', {
        revision: config.revision,
        check: id,
        err: message,
      });
    }
    this.#hubChecks = checks;
    this.#refused = refused;
    this.#revision = config.revision;
    this.#error = undefined;
  }

  #refuse(revision: number, message: string): boolean {
    if (this.#error?.revision === revision && this.#error.message === message) return false;
    this.options.log.error('refused the config from the hub; the previous checks keep running', {
      revision,
      err: message,
    });
    this.#error = { revision, message: message.slice(0, 2000) };
    return true;
  }
}

/** The revision of a config the agent could not decode, when it can be read at all. */
function revisionOf(payload: Buffer): number {
  try {
    const revision = (JSON.parse(payload.toString('utf8')) as { revision?: unknown }).revision;
    return typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0
      ? revision
      : 0;
  } catch {
    return 0;
  }
}
