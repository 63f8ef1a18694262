import { isIP } from 'node:net';
import { z } from 'zod';
import { snmpUser } from '../probes/snmp/options.js';

/**
 * The agent's SNMP notification receiver (`traps:` in the agent config). Without it no
 * receiver runs. A notification is accepted only from a listed community (v1/v2c) or user
 * (v3, whose keys are needed to check and decrypt it); others are dropped and logged.
 */
export const trapsConfig = z
  .strictObject({
    /** Address to listen on; the default listens on every IPv4 address. */
    address: z
      .string()
      .refine((a) => isIP(a) !== 0, 'must be an IP address')
      .default('0.0.0.0'),
    /** RFC 3417 §3: notifications go to UDP port 162. */
    port: z.number().int().min(1).max(65535).default(162),
    communities: z.array(z.string().min(1).max(64)).max(64).default([]),
    users: z.array(snmpUser).max(64).default([]),
  })
  .refine((t) => t.communities.length + t.users.length > 0, {
    message: 'name at least one community or user: notifications from others are dropped',
  });

export type TrapsConfig = z.infer<typeof trapsConfig>;
