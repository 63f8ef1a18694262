import { z } from 'zod';
import { decodeWith, encode } from './codec.js';
import type { Decoded } from './errors.js';
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

/** Encodes after validating, so that a bug in the agent cannot put a bad payload on the wire. */
export const encodeInventory = (value: Inventory): string => encode(inventory, value);

export const decodeInventory = (payload: Uint8Array | string): Decoded<Inventory> =>
  decodeWith(inventory, payload, MAX_INVENTORY_BYTES);
