import { z } from 'zod';

/** RFC 3414 / RFC 7860 authentication and RFC 3826 privacy protocols, as net-snmp names them. */
export const AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const PRIV_PROTOCOLS = ['des', 'aes', 'aes256b', 'aes256r'] as const;

/** RFC 3414 §11.2: a password shorter than 8 octets is not allowed for key localisation. */
const passphrase = z.string().min(8, 'must be at least 8 characters (RFC 3414 §11.2)').max(256);

export const snmpUser = z
  .strictObject({
    name: z.string().min(1).max(32),
    level: z.enum(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('authPriv'),
    authProtocol: z.enum(AUTH_PROTOCOLS).default('sha'),
    authKey: passphrase.optional(),
    privProtocol: z.enum(PRIV_PROTOCOLS).default('aes'),
    privKey: passphrase.optional(),
  })
  .superRefine((user, ctx) => {
    if (user.level !== 'noAuthNoPriv' && user.authKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['authKey'], message: `required for ${user.level}` });
    }
    if (user.level === 'authPriv' && user.privKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'required for authPriv' });
    }
  });

export const snmpOptions = z
  .strictObject({
    version: z.enum(['2c', '3']).default('2c'),
    /** SNMPv2c community (RFC 1901). */
    community: z.string().min(1).max(64).default('public'),
    /** SNMPv3 USM user (RFC 3414); required when version is 3. */
    user: snmpUser.optional(),
    port: z.number().int().min(1).max(65535).default(161),
    /**
     * Interfaces to watch, by ifName (or ifDescr) or ifIndex. Empty: every interface that is up,
     * and keeps being watched after it goes down so that the change is reported.
     */
    interfaces: z
      .array(z.union([z.string().min(1).max(255), z.number().int().min(1)]))
      .max(1024)
      .default([]),
    /** Also read the LLDP neighbour table (LLDP-MIB) and report it for the topology. */
    lldp: z.boolean().default(false),
    /**
     * Wait before a request is sent again (UDP may lose it). The round as a whole is bounded by
     * the check's timeoutSeconds, which the runner enforces: requests are repeated until then.
     */
    retransmitMs: z.number().int().min(100).max(60_000).default(1000),
  })
  .superRefine((options, ctx) => {
    if (options.version === '3' && options.user === undefined) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'required for version 3' });
    }
    if (options.version === '2c' && options.user !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['user'], message: 'only for version 3' });
    }
  });

export type SnmpOptions = z.infer<typeof snmpOptions>;
export type SnmpUser = z.infer<typeof snmpUser>;
