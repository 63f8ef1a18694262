import {
  MAX_RESULTS_BYTES,
  MAX_RESULTS_PER_BATCH,
  type ProbeResult,
  type ResultsBatch,
} from '@branchwatch/contract';

export interface SplitLimits {
  /** The agent id, whose length counts in the envelope. */
  agent: string;
  maxBytes?: number;
  maxResults?: number;
}

/**
 * Cuts results into chunks whose wire payload (the contract's results batch) stays within
 * MAX_RESULTS_BYTES and MAX_RESULTS_PER_BATCH, in order. The envelope is measured with its
 * longest possible values, so the bound holds whatever seq and flags the batch gets later.
 */
export function splitResults(
  results: readonly ProbeResult[],
  limits: SplitLimits,
): ProbeResult[][] {
  const maxBytes = limits.maxBytes ?? MAX_RESULTS_BYTES;
  const maxResults = Math.min(limits.maxResults ?? MAX_RESULTS_PER_BATCH, MAX_RESULTS_PER_BATCH);
  const envelope: ResultsBatch = {
    v: 1,
    agent: limits.agent,
    seq: Number.MAX_SAFE_INTEGER,
    sentAt: '2000-01-01T00:00:00.000+00:00',
    replayed: false,
    results: [],
  };
  const emptyBytes = Buffer.byteLength(JSON.stringify(envelope));
  const chunks: ProbeResult[][] = [];
  let chunk: ProbeResult[] = [];
  let bytes = emptyBytes;
  for (const result of results) {
    const size = Buffer.byteLength(JSON.stringify(result));
    // After the first result, each one also costs a comma.
    if (chunk.length > 0 && (chunk.length >= maxResults || bytes + 1 + size > maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = emptyBytes;
    }
    bytes += (chunk.length > 0 ? 1 : 0) + size;
    chunk.push(result);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
