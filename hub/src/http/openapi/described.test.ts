import { describe, expect, it } from 'vitest';
import { generateOpenApiDocument } from '../../app/openapi-document.js';

type Schema = Record<string, unknown>;
type Response = { $ref?: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, Response>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: { Error: Schema }; responses: { Error: Response } };
};

const document = generateOpenApiDocument() as unknown as Document;
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);
const hasSchema = (content: Record<string, { schema?: Schema }> | undefined) =>
  content !== undefined && Object.values(content).some((c) => c.schema !== undefined);

/** `name: what is missing` for each operation `problem` finds something wrong with. */
const problems = (problem: (op: Operation, name: string) => string | undefined) =>
  operations.flatMap(({ name, op }) => {
    const found = problem(op, name);
    return found ? [`${name}: ${found}`] : [];
  });

// Every operation in the committed document has its parameters, body and answers.
describe('every operation of the OpenAPI document', () => {
  it('walks all the routes', () => {
    expect(operations.length).toBeGreaterThan(100);
  });

  it('is declared with defineRoute', () => {
    expect(
      problems((op) => (op.description?.startsWith('Not yet') ? 'undocumented' : undefined)),
    ).toEqual([]);
  });

  it('has a schema for each answer with a body', () => {
    expect(
      problems((op) => {
        const missing = Object.entries(op.responses)
          .filter(([status, r]) => status !== '204' && !r.$ref && !hasSchema(r.content))
          .map(([status]) => status);
        const successes = Object.keys(op.responses).filter((s) => /^[23]/.test(s));
        if (successes.length === 0) return 'no success answer';
        return missing.length ? `no schema for ${missing.join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('has a request body schema when it is a POST, PUT or PATCH', () => {
    expect(
      problems((op, name) =>
        /^(POST|PUT|PATCH) /.test(name) && !hasSchema(op.requestBody?.content)
          ? 'no request body schema'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('describes each path parameter', () => {
    expect(
      problems((op, name) => {
        const declared = new Set(
          (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        );
        const missing = [...name.matchAll(/\{(\w+)\}/g)]
          .map((m) => m[1]!)
          .filter((p) => !declared.has(p));
        return missing.length ? `path parameters ${missing.join(', ')} undeclared` : undefined;
      }),
    ).toEqual([]);
  });

  it('answers errors with the error body and its stable code', () => {
    const errorRef = '#/components/responses/Error';
    expect(
      problems((op) => (op.responses.default?.$ref === errorRef ? undefined : 'no default')),
    ).toEqual([]);
    // Operations behind a login say so: 401 without a session, 403 without the permission.
    expect(
      problems((op) =>
        op.security === undefined && !(op.responses['401'] && op.responses['403'])
          ? 'no 401/403'
          : undefined,
      ),
    ).toEqual([]);
    const error = document.components.schemas.Error as {
      required: string[];
      properties: { error: { required: string[]; properties: { code: { pattern: string } } } };
    };
    expect(error.required).toEqual(['error']);
    expect(error.properties.error.required).toEqual(['code', 'message']);
    expect(error.properties.error.properties.code.pattern).toBe('^BW_ERR_[A-Z_]+$');
  });

  it("describes the user's permissions in /auth/me", () => {
    const me = document.paths['/api/v1/auth/me']!.get!.responses['200']!.content![
      'application/json'
    ]!.schema as {
      properties: { user: { required: string[]; properties: { permissions: Schema } } };
    };
    expect(me.properties.user.required).toContain('permissions');
    expect(me.properties.user.properties.permissions).toMatchObject({
      type: 'array',
      items: { enum: expect.arrayContaining(['tickets.write', 'sla.manage']) },
    });
  });
});
