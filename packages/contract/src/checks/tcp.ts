import { z } from 'zod';

/** A tcp check has no options yet; strict, so a misspelt one is still reported. */
export const tcpOptions = z.strictObject({});

export type TcpOptions = z.infer<typeof tcpOptions>;
