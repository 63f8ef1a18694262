import { SIP_METHODS, SIP_TRANSPORTS } from '../results/sip.js';
import { z } from 'zod';

/** Options of a sip check. An OPTIONS ping needs none; a REGISTER needs the account. */
export const sipOptions = z
  .strictObject({
    /** OPTIONS: is the server answering (RFC 3261 §11). REGISTER: can a phone log in (§10). */
    method: z.enum(SIP_METHODS).default('OPTIONS'),
    transport: z.enum(SIP_TRANSPORTS).default('udp'),
    /** The account for REGISTER (the user part of the address of record). */
    username: z.string().min(1).max(128).optional(),
    password: z.string().min(1).max(256).optional(),
    /** Digest user name when it differs from `username` (RFC 3261 §22.4). */
    authUsername: z.string().min(1).max(128).optional(),
    /** SIP domain of the address of record; default: the target's host. */
    domain: z.string().min(1).max(253).optional(),
    /** Binding lifetime asked for, s (RFC 3261 §10.2.1.1); short, since the probe removes it. */
    expires: z.number().int().min(1).max(86_400).default(60),
    /** Remove the binding (Expires: 0, RFC 3261 §10.2.2) after a REGISTER round. */
    unregister: z.boolean().default(true),
    /** Count a 503 as planned maintenance instead of a server error. */
    maintenanceOn503: z.boolean().default(false),
    /** Final codes besides 2xx that mean "up", e.g. [404, 405] for servers refusing OPTIONS. */
    okCodes: z.array(z.number().int().min(100).max(699)).max(20).default([]),
    /**
     * RFC 3261 §17.1.1.1 T1, ms: the first UDP retransmission interval; the transaction gives up
     * after 64·T1 (Timer F) unless the check's timeout comes first.
     */
    t1Ms: z.number().int().min(50).max(5000).default(500),
  })
  .refine((o) => o.method !== 'REGISTER' || (o.username && o.password), {
    message: 'REGISTER needs username and password',
    path: ['method'],
  });

export type SipOptions = z.infer<typeof sipOptions>;
