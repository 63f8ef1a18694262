import {
  decodeAgentStatus,
  decodeEvents,
  decodeInventory,
  decodeResultsBatch,
  type ContractDecodeError,
  type TopicKind,
} from '@branchwatch/contract';
import { KeyedQueue } from '../core/keyed-queue.js';
import type { Logger } from '../core/logger.js';
import type { HubMetrics, RejectReason } from '../core/metrics.js';
import type { AgentConfigService } from '../fleet/agent-config.service.js';
import type { AgentRow } from '../fleet/agent.repository.js';
import type { AgentService } from '../fleet/agent.service.js';
import type { DiscoveryService } from '../fleet/discovery.service.js';
import type { IngestService } from '../ingest/ingest.service.js';

export interface BrokerDeps {
  agents: AgentService;
  discovery: Pick<DiscoveryService, 'recordInventory' | 'recordEvents'>;
  /** Told what an agent reports about its config on the status topic. */
  configReports: Pick<AgentConfigService, 'recordReport'>;
  ingest: IngestService;
  metrics: HubMetrics;
  logger: Logger;
}

/** Topic kinds an agent publishes, inside its own subtree only; the hub stores each. */
export const AGENT_PUBLISHED_KINDS: readonly TopicKind[] = [
  'results',
  'status',
  'inventory',
  'events',
];

export interface AgentMessage {
  agent: AgentRow;
  kind: TopicKind;
  topic: string;
  payload: Buffer;
  /**
   * False when the message came on a connection the agent has since replaced: its last will
   * ("offline") must not mark the agent offline. Absent: the broker does not say (external).
   */
  fromLiveConnection?: boolean;
}

/**
 * What the hub does with a message an agent published, whichever broker carried it (the
 * embedded aedes or an external MQTT 5 broker): decode it with the contract, check that it
 * speaks for the agent that sent it, and hand it to the service that stores it. Resolves once
 * it is stored; the broker acknowledges only then (docs/architecture.md "Delivery"). A payload
 * that breaks the contract is counted, logged and resolved (acknowledged): the same bytes resent
 * would be refused again forever and hold up the agent's later batches.
 *
 * What an agent says about itself (its status messages, and the broker's word that it left)
 * is recorded one at a time per agent, in the order it came: the broker handles the packets of
 * one read concurrently (aedes), so an "online" with three writes behind it and the "offline"
 * that followed it could otherwise finish in the wrong order — the agent shown online after it
 * stopped, or its last spool report stored after the offline was acknowledged.
 */
export function agentMessageHandler(deps: BrokerDeps): AgentMessageHandler {
  const refuse = rejecter(deps);
  const refusePayload = (agent: AgentRow, topic: string, error: ContractDecodeError) =>
    refuse(
      error.code,
      { agent: agent.username, topic, field: error.field, detail: error.detail },
      'payload refused',
    );
  // NUL in text was replaced by the contract's decoder (packages/contract/src/nul.ts).
  const repaired = (agent: AgentRow, topic: string, field: string | undefined) => {
    if (field === undefined) return;
    deps.metrics.repaired.inc({ reason: 'nul_character' });
    deps.logger.warn(
      { agent: agent.username, topic, field },
      'NUL in text replaced by U+FFFD before storing',
    );
  };
  const namesAnother = (agent: AgentRow, claimed: string, what: string) => {
    if (claimed === agent.address.agent) return false;
    refuse('agent_mismatch', { agent: agent.username, claimed }, `${what} another agent`);
    return true;
  };

  const statuses = new KeyedQueue();
  const handlers: Record<string, (m: AgentMessage) => Promise<void>> = {
    results: ({ agent, topic, payload }) =>
      deps.ingest.admit(payload.length, async () => {
        const decoded = decodeResultsBatch(payload);
        if (!decoded.ok) return refusePayload(agent, topic, decoded.error);
        if (namesAnother(agent, decoded.value.agent, 'batch names')) return;
        const refusal = deps.ingest.refusal(decoded.value);
        if (refusal) {
          const { reason, field, detail } = refusal;
          return refuse(reason, { agent: agent.username, topic, field, detail }, 'batch refused');
        }
        repaired(agent, topic, decoded.repaired);
        await deps.ingest.storeBatch(agent, decoded.value);
      }),
    status: ({ agent, topic, payload, fromLiveConnection }) =>
      statuses.run(agent.id, async () => {
        const decoded = decodeAgentStatus(payload);
        if (!decoded.ok) return refusePayload(agent, topic, decoded.error);
        repaired(agent, topic, decoded.repaired);
        const { state, version, config, spool } = decoded.value;
        if (state === 'offline' && fromLiveConnection === false) return;
        await deps.agents.setStatus(agent.id, state === 'online', new Date(), version ?? null);
        if (config) await deps.configReports.recordReport(agent.id, config);
        if (spool) await deps.agents.recordSpool(agent.id, spool);
      }),
    async inventory({ agent, topic, payload }) {
      const decoded = decodeInventory(payload);
      if (!decoded.ok) return refusePayload(agent, topic, decoded.error);
      if (namesAnother(agent, decoded.value.agent, 'inventory names')) return;
      repaired(agent, topic, decoded.repaired);
      await deps.discovery.recordInventory(agent, decoded.value);
    },
    async events({ agent, topic, payload }) {
      const decoded = decodeEvents(payload);
      if (!decoded.ok) return refusePayload(agent, topic, decoded.error);
      if (namesAnother(agent, decoded.value.agent, 'events name')) return;
      repaired(agent, topic, decoded.repaired);
      await deps.discovery.recordEvents(agent, decoded.value.events);
    },
  };

  return {
    async handle(message) {
      const handler = handlers[message.kind];
      if (!handler) {
        refuse('topic_denied', { topic: message.topic }, 'not a topic agents publish to');
        return;
      }
      await handler(message);
    },
    markOffline: (agent) =>
      statuses.run(agent.id, () => deps.agents.setStatus(agent.id, false, new Date(), null)),
  };
}

export interface AgentMessageHandler {
  /** Resolves once the message is stored (or refused and counted). */
  handle(message: AgentMessage): Promise<void>;
  /** The agent's live connection ended (a clean disconnect sends no last will). */
  markOffline(agent: AgentRow): Promise<void>;
}

/** Counts a refusal by its reason and logs it once. */
export function rejecter({ metrics, logger }: Pick<BrokerDeps, 'metrics' | 'logger'>) {
  return (reason: RejectReason, detail: Record<string, unknown>, message: string) => {
    metrics.rejected.inc({ reason });
    logger.warn({ reason, ...detail }, message);
  };
}
