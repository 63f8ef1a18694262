import { z } from 'zod';
import { ms, resultBase } from './common.js';

/** One TCP connect attempt. */
export const tcpFields = z.strictObject({
  /** Time to an established connection, ms; null when none was made. */
  connect: ms,
});

export const tcpResult = z.strictObject({
  ...resultBase,
  type: z.literal('tcp'),
  fields: tcpFields,
});

export type TcpFields = z.infer<typeof tcpFields>;
export type TcpResult = z.infer<typeof tcpResult>;
