import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { generateOpenApiDocument } from '../app/openapi-document.js';

/**
 * Every route of the OpenAPI document, attacked through its path, its query and its body with
 * what a careless or hostile client sends: NUL bytes, dates in year 9999 and year 0, numbers
 * past any range, 100,000-character strings, lone surrogates, right-to-left overrides, SQL and
 * template injections, wrong types, deep nesting, bodies that are not JSON. Each answer must be
 * a 4xx that says what was wrong (or a success), never a 5xx and never a stall; afterwards the
 * hub is ready and answers as before. Bounded: one pass, a few thousand requests.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  $ref?: string;
};
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00Z',
  '-1',
  '1e999',
  'x'.repeat(100_000),
  '\ud800',
  '\u202eevil',
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
];
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_STRINGS,
  null,
  true,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  [],
  {},
  ['\u0000'],
  { $ne: null },
];
const PATH_VALUES = [
  randomUUID(),
  'not-a-uuid',
  'a%00b',
  '9'.repeat(400),
  '..%2F..%2Fetc%2Fpasswd',
  '%E2%80%AE',
];

// Routes whose success would end the session the fuzz runs with, or stop the hub.
const SKIPPED = new Set(['post /api/v1/auth/logout']);

let t: TestHub;
let token = '';
const relogins: string[] = [];

beforeAll(async () => {
  t = await startTestHub();
  token = await login();
});
afterAll(() => t?.stop());

async function login(): Promise<string> {
  const res = await fetch(`${t.api.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'test-admin-password' }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** A value of the schema's shape: the first enum or const, the simplest of its type. */
function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 4) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (variant) return sample(variant, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, sample(schema.properties?.[k], depth + 1)]),
      );
    case 'array':
      return [sample(schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return schema.format === 'uuid' ? randomUUID() : 'x';
  }
}

interface Attempt {
  method: string;
  path: string;
  what: string;
  body?: string;
  contentType?: string;
}

/** A query value as a client writes it; a lone surrogate as the bytes UTF-8 cannot hold. */
function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** What to send to one operation: hostile path values, query values and bodies. */
function attemptsFor(method: string, template: string, op: Operation): Attempt[] {
  const attempts: Attempt[] = [];
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const fill = (value: string) =>
    pathParams.reduce((p, param) => p.replace(`{${param.name}}`, value), template);
  const plainPath = fill(randomUUID());
  for (const value of pathParams.length ? PATH_VALUES : []) {
    attempts.push({ method, path: fill(value), what: `path ${value.slice(0, 20)}` });
  }
  for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
    for (const value of HOSTILE_STRINGS) {
      const query = `${encodeURIComponent(param.name)}=${encoded(value)}`;
      attempts.push({ method, path: `${plainPath}?${query}`, what: `query ${param.name}` });
    }
  }
  const json = op.requestBody?.content['application/json']?.schema;
  if (json) {
    const base = sample(json);
    const fields =
      base && typeof base === 'object' && !Array.isArray(base)
        ? Object.keys(json.properties ?? {})
        : [];
    for (const field of fields) {
      for (const value of HOSTILE_VALUES) {
        attempts.push({
          method,
          path: plainPath,
          what: `body ${field}=${JSON.stringify(value)?.slice(0, 24)}`,
          body: JSON.stringify({ ...(base as object), [field]: value }),
          contentType: 'application/json',
        });
      }
    }
    const deep = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
    for (const [what, body] of [
      ['body not JSON', '{"unfinished'],
      ['body an array', '[]'],
      ['body a string', '"x"'],
      ['body null', 'null'],
      ['body nested 5,000 deep', deep],
      ['body with __proto__', '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'],
    ]) {
      attempts.push({
        method,
        path: plainPath,
        what: what!,
        body,
        contentType: 'application/json',
      });
    }
  } else if (op.requestBody) {
    attempts.push({
      method,
      path: plainPath,
      what: 'body of another type',
      body: '\u0000'.repeat(64),
      contentType: 'application/json',
    });
  }
  return attempts;
}

async function sessionAlive(): Promise<boolean> {
  const res = await fetch(`${t.api.baseUrl}/api/v1/branches`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await res.arrayBuffer();
  return res.status !== 401;
}

async function send(a: Attempt): Promise<number | string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (a.contentType) headers['content-type'] = a.contentType;
  try {
    const res = await fetch(t.api.baseUrl + a.path, {
      method: a.method.toUpperCase(),
      headers,
      body: a.body,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return `no answer: ${(error as Error).name}`;
  }
}

it('answers every route with a 4xx or a success, never a 5xx or a stall, and stays up', async () => {
  const doc = generateOpenApiDocument() as unknown as {
    paths: Record<string, Record<string, Operation>>;
  };
  const failures: string[] = [];
  let sent = 0;
  let last = '';
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (SKIPPED.has(`${method} ${template}`)) continue;
      for (const attempt of attemptsFor(method, template, op)) {
        const previous = last;
        last = `${method} ${template}`;
        let status = await send(attempt);
        sent += 1;
        // A 401 is the route's own refusal (SCIM and agent routes take other credentials),
        // unless the session is gone: then note what ended it and go on with a new one.
        if (status === 401 && !(await sessionAlive())) {
          relogins.push(`${previous} [${attempt.what}]`);
          token = await login();
          status = await send(attempt);
        }
        if (typeof status === 'string' || status >= 500) {
          failures.push(`${method.toUpperCase()} ${template} [${attempt.what}] → ${status}`);
        }
      }
    }
  }
  const endedBy = [...new Set(relogins.map((r) => r.split(' [')[0]))];
  console.log(
    `HTTP fuzz: ${sent} requests, ${failures.length} failures; the session ended ${relogins.length} times, after: ${endedBy.join(', ')}`,
  );
  expect(sent).toBeGreaterThan(2_000);
  expect(failures).toEqual([]);
  // Still up and answering as before.
  expect((await fetch(`${t.api.baseUrl}/readyz`)).status).toBe(200);
  const branches = await fetch(`${t.api.baseUrl}/api/v1/branches`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(branches.status).toBe(200);
}, 900_000);
