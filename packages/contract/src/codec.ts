import type { z } from 'zod';
import { ContractDecodeError, formatPath, type Decoded } from './errors.js';
import { MAX_NESTING, mayHoldNul, nestedDeeperThan, replaceNul } from './nul.js';
import {
  CONTRACT_VERSION,
  MAX_RESULTS_BYTES,
  MAX_SMALL_PAYLOAD_BYTES,
  MAX_STATUS_BYTES,
  agentConfig,
  agentStatus,
  resultsBatch,
  type AgentConfig,
  type AgentStatus,
  type ResultsBatch,
} from './payloads.js';

/**
 * Decodes `payload` against `schema`: size first, then JSON, then the version (so that a newer
 * sender hears "unsupported version" rather than a list of unknown fields), then the schema,
 * naming the first bad field. NUL in text is replaced (nul.ts) and `repaired` names the first
 * field that held one, so that the receiver can count it.
 */
export function decodeWith<T>(
  schema: z.ZodType<T>,
  payload: Uint8Array | string,
  maxBytes: number,
): Decoded<T> {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > maxBytes) {
    return fail('too_large', '', `payload is ${size} bytes, the limit is ${maxBytes}`);
  }
  let json: unknown;
  let repaired: string | undefined;
  // A view, not a copy, of the bytes (Buffer.from(Uint8Array) copies them).
  const text =
    typeof payload === 'string'
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail('malformed_json', '', `not JSON: ${(err as Error).message}`);
  }
  // Bounded before anything walks it: a payload nested thousands deep is refused, not a
  // stack overflow.
  if (nestedDeeperThan(json, MAX_NESTING)) {
    return fail('invalid', '', `nested deeper than ${MAX_NESTING} levels`);
  }
  if (mayHoldNul(text)) ({ value: json, field: repaired } = replaceNul(json));
  // The version is checked first so that a newer agent gets "unsupported version", not a
  // list of fields this hub does not know.
  if (typeof json === 'object' && json !== null && 'v' in json && json.v !== CONTRACT_VERSION) {
    return fail(
      'unsupported_version',
      'v',
      `version ${JSON.stringify(json.v)} is not supported (expected ${CONTRACT_VERSION})`,
    );
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) {
    return repaired === undefined
      ? { ok: true, value: parsed.data }
      : { ok: true, value: parsed.data, repaired };
  }
  const issue = parsed.error.issues[0];
  return fail('invalid', issue ? formatPath(issue.path) : '', issue?.message ?? 'invalid payload');
}

function fail(code: ContractDecodeError['code'], field: string, detail: string) {
  return { ok: false as const, error: new ContractDecodeError(code, field, detail) };
}

export const decodeResultsBatch = (payload: Uint8Array | string): Decoded<ResultsBatch> =>
  decodeWith(resultsBatch, payload, MAX_RESULTS_BYTES);

export const decodeAgentStatus = (payload: Uint8Array | string): Decoded<AgentStatus> =>
  decodeWith(agentStatus, payload, MAX_STATUS_BYTES);

export const decodeAgentConfig = (payload: Uint8Array | string): Decoded<AgentConfig> =>
  decodeWith(agentConfig, payload, MAX_SMALL_PAYLOAD_BYTES);

/**
 * Encodes after validating, so that a bug in the sender cannot put a bad payload on the wire.
 * NUL in text (a device's answer, an error message) is replaced as the decoder would.
 */
export function encode<T>(schema: z.ZodType<T>, value: T): string {
  const text = JSON.stringify(schema.parse(value));
  return mayHoldNul(text) ? JSON.stringify(replaceNul(JSON.parse(text)).value) : text;
}

export const encodeResultsBatch = (batch: ResultsBatch) => encode(resultsBatch, batch);
export const encodeAgentStatus = (status: AgentStatus) => encode(agentStatus, status);
export const encodeAgentConfig = (config: AgentConfig) => encode(agentConfig, config);
