import { z } from 'zod';
import { ContractDecodeError, formatPath, type Decoded } from './errors.js';
import { encode } from './codec.js';
import { CONTRACT_VERSION } from './payloads.js';
import { TOPIC_SEGMENT } from './topics.js';

/**
 * What an agent discovered, for the topology map (topics.inventory): the devices it polls and
 * the LLDP links between their ports and their neighbours. Each payload is the agent's whole
 * current view, not a delta, so the hub may replace what it had.
 */

/** Upper bound of one inventory payload on the wire. */
export const MAX_INVENTORY_BYTES = 1024 * 1024;
export const MAX_INVENTORY_DEVICES = 2000;
export const MAX_INVENTORY_LINKS = 10000;

const name = z.string().min(1).max(255);
const instant = z.iso.datetime({ offset: true });

export const inventoryDevice = z.strictObject({
  /** sysName when the device has one, else its LLDP chassis id: what links refer to. */
  id: name,
  sysName: name.nullable(),
  sysDescr: z.string().max(1024).nullable(),
  /** Where the agent reaches it (the check's target), null for a neighbour only seen by LLDP. */
  address: name.nullable(),
});

export const inventoryLink = z.strictObject({
  /** `id` of the device that reported the link. */
  localDevice: name,
  localPort: name,
  remoteChassisId: name,
  remoteSysName: name.nullable(),
  remotePort: name,
});

export const inventory = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  agent: z.string().regex(TOPIC_SEGMENT, 'must be 1-63 of a-z, 0-9, "-", "_"'),
  /** When this view was taken. */
  at: instant,
  devices: z.array(inventoryDevice).max(MAX_INVENTORY_DEVICES),
  links: z.array(inventoryLink).max(MAX_INVENTORY_LINKS),
});

export type InventoryDevice = z.infer<typeof inventoryDevice>;
export type InventoryLink = z.infer<typeof inventoryLink>;
export type Inventory = z.infer<typeof inventory>;

/**
 * Decodes a payload against `schema` the way codec.ts does (size, JSON, version first, then the
 * schema), naming the first bad field. Shared by inventory and events.
 */
export function decodePayload<T>(
  schema: z.ZodType<T>,
  payload: Uint8Array | string,
  maxBytes: number,
): Decoded<T> {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > maxBytes) {
    return refuse('too_large', '', `payload is ${size} bytes, the limit is ${maxBytes}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(
      typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'),
    );
  } catch (err) {
    return refuse('malformed_json', '', `not JSON: ${(err as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== CONTRACT_VERSION) {
    const detail = `version ${JSON.stringify(json.v)} is not supported (expected ${CONTRACT_VERSION})`;
    return refuse('unsupported_version', 'v', detail);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return refuse(
    'invalid',
    issue ? formatPath(issue.path) : '',
    issue?.message ?? 'invalid payload',
  );
}

function refuse(code: ContractDecodeError['code'], field: string, detail: string) {
  return { ok: false as const, error: new ContractDecodeError(code, field, detail) };
}

/** Encodes after validating, so that a bug in the agent cannot put a bad payload on the wire. */
export const encodeInventory = (value: Inventory): string => encode(inventory, value);

export const decodeInventory = (payload: Uint8Array | string): Decoded<Inventory> =>
  decodePayload(inventory, payload, MAX_INVENTORY_BYTES);
