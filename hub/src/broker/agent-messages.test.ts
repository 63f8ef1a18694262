import { topics } from '@branchwatch/contract';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { HubMetrics } from '../core/metrics.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import { agentMessageHandler, type BrokerDeps } from './agent-messages.js';

/**
 * The order in which what an agent says about itself is recorded. aedes hands the packets of
 * one read to its hooks concurrently, so an "online" status whose writes are slow and the
 * "offline" right behind it are both in flight at once; the writes below are recorded by fakes
 * whose speed the test sets, so that the wrong order would show.
 */
const address = { tenant: 'acme', branch: 'hq', agent: 'srv-01' };
const agent = { id: 'agent-1', username: 'acme.hq.srv-01', address } as AgentRow;
const spool = { pendingBatches: 2, droppedBatches: 53, droppedResults: 1060 };

function recordingDeps(delayMs: (online: boolean) => number) {
  const writes: string[] = [];
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const agents = {
    async setStatus(_id: string, online: boolean) {
      await later(delayMs(online));
      writes.push(online ? 'online' : 'offline');
    },
    async recordSpool(_id: string, report: typeof spool) {
      await later(delayMs(true));
      writes.push(`spool ${report.droppedBatches}`);
    },
  };
  const deps = {
    agents,
    configReports: { recordReport: () => Promise.resolve() },
    metrics: new HubMetrics(),
    logger: createLogger('silent'),
  } as unknown as BrokerDeps;
  return { deps, writes };
}

const status = (state: 'online' | 'offline', withSpool: boolean) => ({
  agent,
  kind: 'status' as const,
  topic: topics.status(address),
  payload: Buffer.from(
    JSON.stringify({
      v: 1,
      agent: address.agent,
      state,
      at: new Date().toISOString(),
      ...(withSpool ? { spool } : {}),
    }),
  ),
  fromLiveConnection: true,
});

describe('what an agent says about itself', () => {
  it('is recorded in the order it came, however slow the earlier writes', async () => {
    const { deps, writes } = recordingDeps((online) => (online ? 40 : 0));
    const messages = agentMessageHandler(deps);
    const acknowledged: string[] = [];
    const online = messages.handle(status('online', true)).then(() => acknowledged.push('online'));
    const offline = messages
      .handle(status('offline', false))
      .then(() => acknowledged.push('offline'));
    await Promise.all([online, offline]);
    // The offline is acknowledged only after the online's spool report is stored.
    expect(writes).toEqual(['online', 'spool 53', 'offline']);
    expect(acknowledged).toEqual(['online', 'offline']);
  });

  it('marks the agent offline after the status it sent before leaving', async () => {
    const { deps, writes } = recordingDeps((online) => (online ? 40 : 0));
    const messages = agentMessageHandler(deps);
    const online = messages.handle(status('online', false));
    await messages.markOffline(agent);
    await online;
    expect(writes).toEqual(['online', 'offline']);
  });

  it('goes on after a write that failed', async () => {
    const { deps, writes } = recordingDeps(() => 0);
    const failing = deps.agents.setStatus.bind(deps.agents);
    let calls = 0;
    deps.agents.setStatus = async (...args) => {
      if (calls++ === 0) throw new Error('the database is restarting');
      return failing(...args);
    };
    const messages = agentMessageHandler(deps);
    const first = messages.handle(status('online', false));
    const second = messages.handle(status('offline', false));
    await expect(first).rejects.toThrow('the database is restarting');
    await second;
    expect(writes).toEqual(['offline']);
  });
});
