/**
 * Every MQTT topic Branchwatch uses is built or parsed here; no other file writes a topic string.
 *
 * Layout (docs/architecture.md, "The contract between agent and hub"):
 *   bw/v1/{tenant}/{branch}/{agent}/{kind}
 * so that the broker can confine each agent to its own subtree.
 */

export const TOPIC_ROOT = 'bw/v1';

/** What an agent publishes or receives under its own subtree. */
export const TOPIC_KINDS = ['results', 'status', 'inventory', 'config', 'events'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/** The three names that place an agent: they are its MQTT subtree. */
export interface AgentAddress {
  tenant: string;
  branch: string;
  agent: string;
}

/**
 * A topic level made of these characters can never contain MQTT wildcards (`+`, `#`),
 * the level separator or `$`, so a name taken from a user cannot widen a subscription.
 */
export const TOPIC_SEGMENT = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class TopicSegmentError extends Error {
  constructor(
    readonly part: keyof AgentAddress,
    readonly value: string,
  ) {
    super(
      `${part} "${value}" cannot be used in a topic: use 1-63 of a-z, 0-9, "-" and "_", starting with a letter or digit`,
    );
    this.name = 'TopicSegmentError';
  }
}

export function assertAddress(address: AgentAddress): void {
  for (const part of ['tenant', 'branch', 'agent'] as const) {
    if (!TOPIC_SEGMENT.test(address[part])) throw new TopicSegmentError(part, address[part]);
  }
}

function build(address: AgentAddress, kind: TopicKind): string {
  assertAddress(address);
  return `${TOPIC_ROOT}/${address.tenant}/${address.branch}/${address.agent}/${kind}`;
}

export const topics = {
  results: (address: AgentAddress) => build(address, 'results'),
  status: (address: AgentAddress) => build(address, 'status'),
  inventory: (address: AgentAddress) => build(address, 'inventory'),
  config: (address: AgentAddress) => build(address, 'config'),
  events: (address: AgentAddress) => build(address, 'events'),
  /** Filter matching everything one agent may touch. */
  agentSubtree: (address: AgentAddress) => {
    assertAddress(address);
    return `${TOPIC_ROOT}/${address.tenant}/${address.branch}/${address.agent}/#`;
  },
  /** Filter matching one kind of topic of every agent, for the hub's subscriptions. */
  everyAgent: (kind: TopicKind) => `${TOPIC_ROOT}/+/+/+/${kind}`,
  /**
   * The same filter as a shared subscription of `group` (MQTT 5 §4.8.2): the broker hands
   * each message to one member of the group, so that several hub processes split the load.
   */
  sharedEveryAgent: (group: string, kind: TopicKind) => {
    if (!SHARE_GROUP.test(group)) throw new Error(`share group "${group}" is not a valid name`);
    return `$share/${group}/${TOPIC_ROOT}/+/+/+/${kind}`;
  },
};

/** [MQTT-4.8.2-2]: a share name has no "/", "+" or "#"; ours are kept to plain words. */
export const SHARE_GROUP = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface ParsedTopic extends AgentAddress {
  kind: TopicKind;
}

/** Parses a concrete topic (no wildcards) of the agent tree; null when it is not one. */
export function parseTopic(topic: string): ParsedTopic | null {
  const levels = topic.split('/');
  if (levels.length !== 6) return null;
  const [root, version, tenant, branch, agent, kind] = levels as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (`${root}/${version}` !== TOPIC_ROOT) return null;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return null;
  const address = { tenant, branch, agent };
  if (![tenant, branch, agent].every((segment) => TOPIC_SEGMENT.test(segment))) return null;
  return { ...address, kind: kind as TopicKind };
}

/** True when `topic` lies inside the agent's own subtree and names a known kind. */
export function isInSubtree(topic: string, address: AgentAddress): boolean {
  const parsed = parseTopic(topic);
  return (
    parsed !== null &&
    parsed.tenant === address.tenant &&
    parsed.branch === address.branch &&
    parsed.agent === address.agent
  );
}

/**
 * The MQTT client id (and username) of an agent. The broker requires an agent to connect with
 * exactly this id, so that one agent cannot take over another's session.
 */
export function mqttClientId(address: AgentAddress): string {
  assertAddress(address);
  return `${address.tenant}.${address.branch}.${address.agent}`;
}
