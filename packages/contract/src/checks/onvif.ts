import { z } from 'zod';

/**
 * Options of an onvif check. `mode: device` (the default) checks one camera; `mode: discover`
 * sends a WS-Discovery Probe from the target address (an interface of the agent) and lists
 * the cameras that answer.
 */
export const onvifOptions = z
  .strictObject({
    mode: z.enum(['device', 'discover']).default('device'),
    /** A device user; without one no WS-Security header is sent (fine for pre-auth calls only). */
    username: z.string().min(1).max(64).optional(),
    password: z.string().max(256).optional(),
    /** Profile token or name whose stream and snapshot URIs are checked; default the first. */
    profile: z.string().min(1).max(64).optional(),
    /** Fetch the snapshot and check it is a JPEG. */
    snapshot: z.boolean().default(true),
    /** |device clock − agent clock| above this fails the round with clock_drift. */
    driftThresholdSeconds: z.number().positive().max(86400).default(5),
    /** A silent device is reported `unreachable` only after this long; until then `ok`. */
    graceSeconds: z.number().min(0).max(86400).default(60),
    /** Deadline of each HTTP request (SOAP call or snapshot): connect and answer. */
    requestTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
    maxSnapshotBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(5 * 1024 * 1024),
    /** How long discover mode listens for ProbeMatches. */
    discoveryTimeoutMs: z.number().int().min(200).max(30_000).default(3000),
  })
  .refine((o) => o.password === undefined || o.username !== undefined, {
    message: 'a password needs a username',
    path: ['password'],
  });

export type OnvifOptions = z.infer<typeof onvifOptions>;
