// Writes docs/config-reference.md from the config schemas (`pnpm docs:config`). The file is
// committed; test/deploy/config-reference.test.ts fails when it is stale (docs/contributing.md: generated
// things are committed and CI fails when stale, like blackbox_exporter's git diff --exit-code).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { fileSchema as agentSchema } from '../agent/src/config.js';
import { configSchema as hubSchema } from '../hub/src/config/config.js';

export const REFERENCE_FILE = fileURLToPath(
  new URL('../docs/config-reference.md', import.meta.url),
);

/**
 * Descriptions of the agent's keys. The agent schema keeps its explanations in comments, so
 * they are written here once; a key without `.describe()` and without an entry here stops the
 * generator, so a new key cannot go undocumented.
 */
const AGENT_DESCRIPTIONS: Record<string, string> = {
  hub: 'Where and how the agent reaches the hub. Written by `branchwatch-agent enroll`.',
  'hub.url':
    "Broker URL: `mqtts://` (recommended), `mqtt://`, `wss://` or `ws://` (`/mqtt` on the hub's HTTP port).",
  'hub.username': "The agent's MQTT user name, `tenant.branch.agent`, issued by the hub.",
  'hub.password': "The agent's MQTT password, issued by the hub.",
  agent: 'Who this agent is; the topic subtree it may publish under.',
  'agent.tenant': 'Tenant slug.',
  'agent.branch': 'Branch slug.',
  'agent.id': 'Agent slug, unique in its branch.',
  spool: 'On-disk outbox of batches not yet acknowledged by the broker.',
  'spool.dir': "Spool folder, relative to the config file's folder.",
  'spool.maxBytes':
    'Size bound of the spool; the oldest batches are dropped (and counted) past it.',
  batch: 'How results are grouped into batches.',
  'batch.intervalSeconds': 'Longest time a result waits before its batch is sent.',
  'batch.maxResults': 'Results per batch at most.',
  concurrency: 'Rounds that may run at the same time.',
  traps: 'SNMP notification receiver; absent: none runs.',
  'traps.address': 'Address to listen on.',
  'traps.port': 'UDP port (RFC 3417 §3: 162).',
  'traps.communities': 'SNMPv1/v2c communities accepted.',
  'traps.users': 'SNMPv3 users accepted (USM, RFC 3414).',
  'traps.users[].name': 'User name.',
  'traps.users[].level': 'Security level.',
  'traps.users[].authProtocol': 'Authentication protocol.',
  'traps.users[].authKey': 'Authentication passphrase; required for authNoPriv and authPriv.',
  'traps.users[].privProtocol': 'Privacy (encryption) protocol.',
  'traps.users[].privKey': 'Privacy passphrase; required for authPriv.',
  defaults: 'Schedule of checks that do not set their own, also for checks pushed by the hub.',
  'defaults.intervalSeconds': 'Seconds between rounds of a check.',
  'defaults.timeoutSeconds': 'Deadline of one round.',
  logLevel: 'Least severe log level written (to the journal under systemd).',
  checks:
    "Checks run from this file; the hub's checks run beside them (a hub check replaces a file check of the same id).",
  'checks[].id': 'Check id, unique in the file.',
  'checks[].type':
    "Probe: icmp, tcp, http, dns, snmp, sip, voice, onvif (see each probe's README).",
  'checks[].target': "What the probe measures: host, host:port, URL, … (see the probe's README).",
  'checks[].intervalSeconds': 'Seconds between rounds; default `defaults.intervalSeconds`.',
  'checks[].timeoutSeconds': 'Deadline of a round; default `defaults.timeoutSeconds`.',
  'checks[].options': "The probe's own options (see the probe's README and sample config).",
  update: 'Signed self-updates from the hub; absent: none. Written by `enroll`.',
  'update.url': "The hub's HTTP(S) base URL that serves updates.",
  'update.publicKey': 'Release key (base64 SPKI DER); default: the key pinned in the binary.',
  'update.binary': 'The binary the service runs and updates replace; default: this executable.',
  'update.checkIntervalMinutes': 'Minutes between update checks.',
  'update.healthySeconds': 'A new version not connected to the hub after this long is rolled back.',
};

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** A zod 4 schema as far as this file looks at it (zod itself is not a root dependency). */
interface Schema {
  description?: string;
}
const def = (s: Schema) => (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;

/** Strips optional/default wrappers; returns the inner schema and the default, if any. */
function unwrap(schema: Schema): { inner: Schema; required: boolean; fallback?: unknown } {
  let inner = schema;
  let required = true;
  let fallback: unknown;
  for (let i = 0; i < 10; i++) {
    const d = def(inner);
    if (d.type === 'optional') required = false;
    else if (d.type === 'default' || d.type === 'prefault') {
      required = false;
      fallback = d.defaultValue;
    } else if (d.type !== 'pipe' && d.type !== 'readonly') break;
    inner = (d.innerType ?? d.in) as Schema;
  }
  return { inner, required, ...(fallback === undefined ? {} : { fallback }) };
}

function typeName(schema: Schema): string {
  const d = def(schema);
  switch (d.type) {
    case 'enum':
      return Object.values(d.entries as Record<string, string>)
        .map((v) => `\`${v}\``)
        .join(' \\| ');
    case 'array':
      return `list of ${typeName(unwrap(d.element as Schema).inner)}`;
    case 'object':
      return 'map';
    case 'record':
      return 'map';
    default:
      return String(d.type);
  }
}

function shown(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) {
    return Array.isArray(value) ? '`[]`' : '';
  }
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** One row per key, depth first; objects and lists of objects are walked. */
function rows(schema: Schema, describe: (key: string, s: Schema) => string, prefix = ''): Row[] {
  const out: Row[] = [];
  const shape = def(schema).shape as Record<string, Schema>;
  for (const [name, field] of Object.entries(shape)) {
    const key = prefix + name;
    const { inner, required, fallback } = unwrap(field);
    out.push({
      key,
      type: typeName(inner),
      default: required ? '*required*' : shown(fallback),
      description: describe(key, field),
    });
    const d = def(inner);
    if (d.type === 'object') out.push(...rows(inner, describe, `${key}.`));
    const element = d.type === 'array' ? unwrap(d.element as Schema).inner : undefined;
    if (element && def(element).type === 'object')
      out.push(...rows(element, describe, `${key}[].`));
  }
  return out;
}

function described(map: Record<string, string>) {
  return (key: string, s: Schema): string => {
    const text = s.description ?? unwrap(s).inner.description ?? map[key];
    if (!text) {
      throw new Error(
        `${key}: no description; add .describe() or an entry in scripts/config-reference.ts`,
      );
    }
    return text;
  };
}

function table(list: Row[], first: string): string {
  const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\\\\|', '\\|');
  const lines = [`| ${first} | Type | Default | Description |`, '| --- | --- | --- | --- |'];
  for (const r of list) {
    lines.push(`| \`${r.key}\` | ${r.type} | ${r.default} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}

/** The reference, as the committed file must read: formatted as `pnpm check` wants it. */
export async function renderConfigReference(): Promise<string> {
  const hub = rows(hubSchema as unknown as Schema, described({}));
  const agent = rows(agentSchema as unknown as Schema, described(AGENT_DESCRIPTIONS));
  const text = [
    '# Configuration reference',
    '',
    '<!-- Generated by `pnpm docs:config` from hub/src/config/config.ts and agent/src/config.ts. Do not edit. -->',
    '',
    '## Hub',
    '',
    'Environment variables, read once at start (under systemd from `/etc/branchwatch/hub.env`).',
    'An unknown `BW_*` variable stops the hub with an error naming the closest known one.',
    '',
    table(hub, 'Variable'),
    '',
    '## Agent',
    '',
    'YAML file (`/etc/branchwatch/agent.yaml` when installed from the .deb). Unknown keys are',
    'errors; `branchwatch-agent check-config FILE` prints the exact problem.',
    '',
    table(agent, 'Key'),
    '',
  ].join('\n');
  const options = await prettier.resolveConfig(REFERENCE_FILE);
  return prettier.format(text, { ...options, filepath: REFERENCE_FILE });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  fs.writeFileSync(REFERENCE_FILE, await renderConfigReference());
  console.log(`wrote ${REFERENCE_FILE}`);
}
