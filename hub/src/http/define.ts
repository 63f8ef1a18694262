import type { Router, RouterContext } from '@koa/router';
import { z } from 'zod';
import { parseInput } from './validate.js';
import type { AppState } from './request-state.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented response of an operation (OpenAPI "Response Object"). */
export interface ResponseSpec {
  description: string;
  /** Defaults to application/json. */
  contentType?: string;
  schema?: z.ZodType;
}

/**
 * What a route accepts and answers. The schemas are the very objects the handler validates
 * with (through `input`), so the OpenAPI document cannot drift from the code.
 */
export interface RouteSpec<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  /** Relative to the router's prefix, in @koa/router syntax (`/:id`). */
  path: string;
  summary: string;
  tags?: string[];
  /** Path parameters, for the document; handlers keep their own 404 for a malformed id. */
  params?: z.ZodObject;
  query?: Q;
  /** Request headers the handler reads (lower-case names, as Node gives them): `if-match`. */
  headers?: z.ZodObject;
  body?: B;
  /** A body that is not JSON (a file): the handler streams it from `ctx.req` itself. */
  /** A body that is a file; received before the request's transaction (http/staged-upload.ts). */
  rawBody?: {
    contentType: string;
    description: string;
    /** Largest body accepted; the hub's attachment bound when absent. */
    maxBytes?: number;
    /** Scanned for malware once received, before the handler runs (helpdesk/malware/). */
    malwareScan?: boolean;
  };
  /** Status → response; the first is the success answer. */
  responses?: Record<number, ResponseSpec>;
  /** Answered without a session (enrollment, login). */
  public?: boolean;
}

/** Parses on demand, so a handler keeps its order (a check before body validation). */
export interface RouteInput<Q extends z.ZodType, B extends z.ZodType> {
  query(): z.output<Q>;
  body(): z.output<B>;
  /** The documented headers, parsed (others are ignored). */
  headers(): Record<string, unknown>;
}

type Handler<Q extends z.ZodType, B extends z.ZodType> = (
  ctx: RouterContext<AppState>,
  input: RouteInput<Q, B>,
) => unknown;

// Layer → spec: the generator walks each router's stack and looks its layers up here.
const documented = new WeakMap<object, RouteSpec>();

export function specOf(layer: object): RouteSpec | undefined {
  return documented.get(layer);
}

/** Registers `handler` on `router` and records its spec for the OpenAPI document. */
export function defineRoute<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType>(
  router: Router<AppState>,
  spec: RouteSpec<Q, B>,
  handler: Handler<Q, B>,
): void {
  const before = router.stack.length;
  router[spec.method](spec.path, async (ctx) => {
    const input: RouteInput<Q, B> = {
      query: () => parseInput(spec.query as z.ZodType<z.output<Q>>, ctx.query),
      body: () => parseInput(spec.body as z.ZodType<z.output<B>>, ctx.request.body),
      headers: () => parseInput(spec.headers as z.ZodObject, ctx.headers),
    };
    await handler(ctx, input);
    // A stream the handler writes itself (ctx.respond = false) has no body to hold up.
    if (answerCheck && ctx.respond !== false) {
      // @koa/router puts the full path pattern (prefix included) of the matched layer here.
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? spec.path;
      checkAnswer(spec, `${spec.method.toUpperCase()} ${route}`, ctx);
    }
  });
  for (const layer of router.stack.slice(before)) documented.set(layer, spec as RouteSpec);
}

// Tests turn this on to hold every answer against its documented schema (answers.test.ts);
// off, it costs nothing.
let answerCheck: ((problem: string) => void) | undefined;

/** Reports each answer that its spec does not describe, until called with undefined. */
export function checkAnswers(report: ((problem: string) => void) | undefined): void {
  answerCheck = report;
}

function checkAnswer(spec: RouteSpec, route: string, ctx: RouterContext<AppState>): void {
  answered.add(route);
  const name = `${route} ${ctx.status}`;
  // No responses: the document says `200 OK` (http/openapi/document.ts).
  const response = (spec.responses ?? { 200: { description: 'OK' } })[ctx.status];
  if (!response) return answerCheck?.(`${name}: status not documented`);
  if (ctx.response.type !== 'application/json' || !response.schema) return;
  // As the client gets it: dates become strings, undefined fields vanish. A handler may
  // answer with JSON text it wrote itself (the series route).
  const body: unknown = ctx.body;
  const sent = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  const parsed = response.schema.safeParse(JSON.parse(sent));
  if (!parsed.success) answerCheck?.(`${name}: ${z.prettifyError(parsed.error)}`);
}

const answered = new Set<string>();
/** `METHOD /path` of each route that answered while checking was on. */
export const checkedRoutes = (): ReadonlySet<string> => answered;
