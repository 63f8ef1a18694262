import type Koa from 'koa';
import { z } from 'zod';
import { specOf, type ResponseSpec, type RouteSpec } from '../define.js';
import { noBody } from '../schemas.js';

/** A layer of @koa/router's stack, as far as the generator reads it. */
interface Layer {
  path: string | RegExp;
  methods: string[];
}
type RouterMiddleware = Koa.Middleware & { router?: { stack: Layer[] } };

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, PathItem> };
type PathItem = Record<string, Record<string, unknown>>;

const ERROR_RESPONSE = { $ref: '#/components/responses/Error' };
const ERROR_SCHEMA_REF = { $ref: '#/components/schemas/Error' };
const UNDOCUMENTED = 'Not yet described with defineRoute (hub/src/http/define.ts).';

/**
 * Input schemas as a client writes them (`io: 'input'`: before defaults and coercion); a
 * preprocess step cannot be expressed and becomes "any" rather than stopping the generator.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** `/api/v1/tickets/:id` → `/api/v1/tickets/{id}` (OpenAPI 3.1 §4.8.2 path templating). */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document of every route the app's routers hold: routes declared with
 * defineRoute carry their schemas; the others are listed with method, path and a note, so
 * nothing the hub answers is missing from the document.
 */
export function buildOpenApiDocument(app: Koa, publicPaths: ReadonlySet<string>): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const middleware of app.middleware as RouterMiddleware[]) {
    for (const layer of middleware.router?.stack ?? []) {
      if (typeof layer.path !== 'string' || layer.methods.length === 0) continue;
      const path = openApiPath(layer.path);
      const item = (paths[path] ??= {});
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
        const spec = specOf(layer);
        const isPublic =
          spec?.public ?? (!layer.path.startsWith('/api/') || publicPaths.has(layer.path));
        item[method.toLowerCase()] = spec
          ? operation(spec, layer.path, isPublic)
          : {
              summary: `${method} ${layer.path}`,
              description: UNDOCUMENTED,
              ...(isPublic ? { security: [] } : {}),
              responses: { default: ERROR_RESPONSE },
            };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Branchwatch hub API',
      version: '1',
      description:
        'REST API of the Branchwatch hub (docs/api.md). Generated from the route schemas by ' +
        '`pnpm docs:openapi`; every error body is `{ error: { code, message, details? } }` ' +
        'with a stable BW_ERR_* code.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Token from POST /api/v1/auth/login',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'bw_session' },
      },
      schemas: { Error: ERROR_SCHEMA },
      responses: {
        Error: {
          description: 'An error with a stable code (hub/src/http/errors.ts)',
          content: { 'application/json': { schema: ERROR_SCHEMA_REF } },
        },
      },
    },
  };
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', pattern: '^BW_ERR_[A-Z_]+$', examples: ['BW_ERR_VALIDATION'] },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

function operation(spec: RouteSpec, fullPath: string, isPublic: boolean) {
  const parameters = [
    ...parametersOf(spec.params, 'path', fullPath),
    ...parametersOf(spec.query, 'query', fullPath),
    ...parametersOf(spec.headers, 'header', fullPath),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(
    spec.responses ?? { 200: { description: 'OK' } },
  )) {
    responses[status] = responseObject(status, response);
  }
  for (const [status, error] of Object.entries(errorResponses(spec, fullPath, isPublic)))
    responses[status] ??= error;
  responses.default = ERROR_RESPONSE;
  return {
    operationId: operationId(spec.method, fullPath),
    summary: spec.summary,
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(isPublic ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...requestBodyOf(spec),
    responses,
  };
}

function responseObject(status: string, response: ResponseSpec) {
  const { description } = response;
  if (status === '204') return { description };
  // An error a route names without a schema is still the one error body (errors.ts).
  if (Number(status) >= 400 && !response.schema)
    return { description, content: { 'application/json': { schema: ERROR_SCHEMA_REF } } };
  const type = response.contentType ?? 'application/json';
  return {
    description,
    content: { [type]: response.schema ? { schema: jsonSchemaOf(response.schema) } : {} },
  };
}

function requestBodyOf(spec: RouteSpec) {
  if (spec.rawBody) {
    const { contentType, description } = spec.rawBody;
    // OpenAPI 3.1 §4.8.14.3: binary content is a string with its media type.
    const schema = { type: 'string', contentMediaType: contentType };
    return { requestBody: { required: true, description, content: { [contentType]: { schema } } } };
  }
  if (!spec.body) return {};
  // validate.ts reads a missing body as `{}`: a schema that accepts `{}` makes the body optional.
  const required = !spec.body.safeParse({}).success;
  const content = { 'application/json': { schema: jsonSchemaOf(spec.body) } };
  return { requestBody: { required, content } };
}

/**
 * Which errors an operation can answer, besides `default`: each is the Error body with its
 * stable code (hub/src/http/errors.ts).
 */
function errorResponses(spec: RouteSpec, fullPath: string, isPublic: boolean) {
  const errors: Record<string, unknown> = {};
  const readsBody = spec.rawBody !== undefined || (spec.body && spec.body !== noBody);
  if (readsBody || spec.query || spec.headers) errors['400'] = ERROR_RESPONSE;
  if (!isPublic) {
    errors['401'] = ERROR_RESPONSE;
    errors['403'] = ERROR_RESPONSE;
  }
  if (fullPath.includes(':')) errors['404'] = ERROR_RESPONSE;
  return errors;
}

/** Each property of an object schema becomes one parameter (OpenAPI has no object-in-query). */
function parametersOf(
  schema: z.ZodType | undefined,
  where: 'path' | 'query' | 'header',
  fullPath: string,
) {
  if (!schema) {
    // Undeclared path parameters are still parameters: a client must fill them in.
    return where === 'path'
      ? [...fullPath.matchAll(/:(\w+)/g)].map((m) => ({
          name: m[1],
          in: 'path',
          required: true,
          schema: { type: 'string' },
        }))
      : [];
  }
  const json = jsonSchemaOf(schema) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    // Lists in a query are comma-separated (`state=open,waiting`): OpenAPI 3.1 §4.8.12.4.
    ...(JSON.stringify(property).includes('"type":"array"')
      ? { style: 'form', explode: false }
      : {}),
    schema: property,
  }));
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1)));
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
