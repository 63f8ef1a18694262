import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAgentConfig, encodeAgentConfig, type AgentConfig } from '@branchwatch/contract';
import {
  ConfigError,
  resolveRemoteChecks,
  type CheckConfig,
  type CheckDefaults,
} from './config.js';
import type { Logger } from './log.js';
import { writeFileAtomic } from './spool/atomic.js';

/** What the agent tells the hub about its config, on its status topic. */
export interface ConfigReport {
  /** The hub config revision in force; null while the file's checks run. */
  revision: number | null;
  error?: { revision: number; message: string };
}

const SAVED_CONFIG = 'hub-config.json';

/**
 * Applies the checks the hub hands over on the agent's config topic. A config is validated
 * like the file's checks; a bad one is refused whole and the checks in force keep running.
 * The last good one is saved in the agent's state folder, so that an agent restarted while
 * the hub is unreachable runs the hub's checks rather than the file's.
 */
export class RemoteConfig {
  #report: ConfigReport = { revision: null };

  constructor(
    private readonly options: {
      stateDir: string;
      defaults: CheckDefaults;
      apply(checks: CheckConfig[]): void;
      log: Logger;
    },
  ) {}

  report(): ConfigReport {
    return this.#report;
  }

  /** Loads the config saved by an earlier run, if any; returns its checks. */
  async restore(): Promise<CheckConfig[] | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.options.stateDir, SAVED_CONFIG), 'utf8');
    } catch {
      return undefined;
    }
    const decoded = decodeAgentConfig(text);
    if (!decoded.ok) {
      this.options.log.warn('ignoring an unreadable saved hub config', {
        err: decoded.error.message,
      });
      return undefined;
    }
    try {
      const checks = this.#resolve(decoded.value);
      this.#report = { revision: decoded.value.revision };
      return checks;
    } catch (err) {
      this.options.log.warn('ignoring a saved hub config this agent cannot run', {
        err: (err as Error).message,
      });
      return undefined;
    }
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
    if (config.revision === this.#report.revision) return false;
    let checks: CheckConfig[];
    try {
      checks = this.#resolve(config);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return this.#refuse(config.revision, err.message);
    }
    this.options.apply(checks);
    this.#report = { revision: config.revision };
    this.options.log.info('applied config from the hub', {
      revision: config.revision,
      checks: checks.length,
    });
    await writeFileAtomic(this.options.stateDir, SAVED_CONFIG, encodeAgentConfig(config)).catch(
      (err: Error) => this.options.log.warn('could not save the hub config', { err: err.message }),
    );
    return true;
  }

  #resolve(config: AgentConfig): CheckConfig[] {
    return resolveRemoteChecks(
      config.checks,
      this.options.defaults,
      `hub config r${config.revision}`,
    );
  }

  #refuse(revision: number, message: string): boolean {
    if (this.#report.error?.revision === revision && this.#report.error.message === message) {
      return false;
    }
    this.options.log.error('refused the config from the hub; the previous checks keep running', {
      revision,
      err: message,
    });
    this.#report = { ...this.#report, error: { revision, message: message.slice(0, 2000) } };
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
