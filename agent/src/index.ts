export { startAgent, type RunningAgent } from './agent.js';
export {
  loadConfig,
  parseConfig,
  summarizeConfig,
  ConfigError,
  type Config,
  type CheckConfig,
} from './config.js';
export { probes, type ProbeRegistry } from './probes/registry.js';
export type { Probe, ProbeOutcome, ProbeCheck } from './probes/probe.js';
export { Spool, type SpoolEntry, type SpooledBatch, type SpoolStats } from './spool/spool.js';
export { Publisher, type PublisherOptions } from './transport/publisher.js';
export { Scheduler, runOnce } from './scheduler/scheduler.js';
export { runCheck } from './scheduler/run-check.js';
export { AGENT_VERSION } from './version.js';
