import type { Router, RouterContext } from '@koa/router';
import type { z } from 'zod';
import type { AppState } from '../middleware/session.js';
import { parseInput } from './validate.js';

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
  body?: B;
  /** Status → response; the first is the success answer. */
  responses?: Record<number, ResponseSpec>;
  /** Answered without a session (enrollment, login). */
  public?: boolean;
}

/** Parses on demand, so a handler keeps its order (role check before body validation). */
export interface RouteInput<Q extends z.ZodType, B extends z.ZodType> {
  query(): z.output<Q>;
  body(): z.output<B>;
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
    };
    await handler(ctx, input);
  });
  for (const layer of router.stack.slice(before)) documented.set(layer, spec as RouteSpec);
}
