import { topics, TOPIC_KINDS, type TopicKind } from '@branchwatch/contract';
import type { BrokerCredential } from './broker-auth.repository.js';

/** Topic kinds an agent publishes under its own subtree; it only reads its config. */
const AGENT_WRITES: TopicKind[] = ['results', 'status', 'inventory', 'events'];

export interface MosquittoAuthFiles {
  /** mosquitto `password_file`: `user:$7$…` lines. */
  passwords: string;
  /** mosquitto `acl_file`: one `user` block per principal. */
  acl: string;
  /** Agents left out because they have no broker hash yet (issued before migration 008). */
  skipped: string[];
}

/**
 * Mosquitto's password and ACL files for the hub and every agent (docs/hub.md "External
 * broker"). A pattern ACL cannot express our layout: `%u`/`%c` is `tenant.branch.agent` while
 * the subtree is `bw/v1/tenant/branch/agent/…`, and mosquitto substitutes whole strings only.
 * So each agent gets its own block naming its exact topics, built by the contract's builders.
 */
export function mosquittoAuthFiles(
  hub: { username: string; passwordHash: string },
  agents: BrokerCredential[],
): MosquittoAuthFiles {
  const passwords = [`${hub.username}:${hub.passwordHash}`];
  const acl = [
    '# Written by `pnpm hub:mosquitto-auth`; changes here are overwritten.',
    '# The hub: reads what agents send (through shared subscriptions), writes their configs.',
    `user ${hub.username}`,
    ...TOPIC_KINDS.filter((k) => k !== 'config').map((k) => `topic read ${topics.everyAgent(k)}`),
    `topic write ${topics.everyAgent('config')}`,
  ];
  const skipped: string[] = [];
  for (const agent of agents) {
    if (!agent.brokerPasswordHash) {
      skipped.push(agent.username);
      continue;
    }
    passwords.push(`${agent.username}:${agent.brokerPasswordHash}`);
    acl.push(
      '',
      `user ${agent.username}`,
      ...AGENT_WRITES.map((k) => `topic write ${topics[k](agent.address)}`),
      `topic read ${topics.config(agent.address)}`,
    );
  }
  return { passwords: passwords.join('\n') + '\n', acl: acl.join('\n') + '\n', skipped };
}
