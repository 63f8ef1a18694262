import { z } from 'zod';
import type { ProbeType } from '../results/index.js';
import { CHECK_RULES } from './rules.js';

/**
 * One option of a check type as a form shows it, read from the type's own option schema so
 * that a form can never offer a bound or a default the agent does not have. Only options of
 * one value (a number, a yes/no, a choice, a text) are described; lists and nested settings
 * (HTTP headers, SNMPv3 users) are set through the API.
 */
export interface CheckOptionField {
  name: string;
  kind: 'number' | 'boolean' | 'choice' | 'text' | 'secret';
  integer?: boolean;
  min?: number;
  max?: number;
  /** The probe's default, used when the option is left out. */
  default?: number | boolean | string;
  choices?: string[];
  /** From the option's name, which says its unit: `periodMs`, `graceSeconds`, `maxBodyBytes`. */
  unit?: 'ms' | 's' | 'bytes';
}

const SECRET_NAMES = new Set(['password', 'community', 'authKey', 'privKey']);

interface JsonProperty {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
}

function unitOf(name: string): CheckOptionField['unit'] {
  if (name.endsWith('Ms')) return 'ms';
  if (name.endsWith('Seconds')) return 's';
  if (name.endsWith('Bytes')) return 'bytes';
  return undefined;
}

function fieldOf(name: string, p: JsonProperty): CheckOptionField | null {
  const base = {
    name,
    ...(p.default !== undefined && typeof p.default !== 'object'
      ? { default: p.default as number | boolean | string }
      : {}),
  };
  if (Array.isArray(p.enum) && p.enum.every((v) => typeof v === 'string')) {
    return { ...base, kind: 'choice', choices: p.enum as string[] };
  }
  if (p.type === 'integer' || p.type === 'number') {
    const min = p.minimum ?? p.exclusiveMinimum;
    const unit = unitOf(name);
    return {
      ...base,
      kind: 'number',
      integer: p.type === 'integer',
      ...(min !== undefined ? { min } : {}),
      ...(p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER ? { max: p.maximum } : {}),
      ...(unit ? { unit } : {}),
    };
  }
  if (p.type === 'boolean') return { ...base, kind: 'boolean' };
  if (p.type === 'string') return { ...base, kind: SECRET_NAMES.has(name) ? 'secret' : 'text' };
  return null;
}

/** The options of `type` a form can offer, in the schema's order. */
export function checkOptionFields(type: ProbeType): CheckOptionField[] {
  const schema = z.toJSONSchema(CHECK_RULES[type].options, { io: 'input', unrepresentable: 'any' });
  const properties = (schema.properties ?? {}) as Record<string, JsonProperty>;
  return Object.entries(properties).flatMap(([name, p]) => {
    const field = fieldOf(name, p);
    return field ? [field] : [];
  });
}
