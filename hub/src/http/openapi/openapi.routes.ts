import { Router } from '@koa/router';
import { z } from 'zod';
import type { OpenApiDocument } from './document.js';
import { defineRoute } from '../define.js';
import type { AppState } from '../request-state.js';

/**
 * The OpenAPI 3.1 document, public like the login route: it describes the API's shape and
 * holds no tenant's data, and code generators and Swagger UI fetch it without a session.
 */
export function openapiRoutes(document: () => OpenApiDocument): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  let cached: OpenApiDocument | undefined;
  defineRoute(
    router,
    {
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI 3.1 document',
      tags: ['meta'],
      public: true,
      responses: {
        200: {
          description: 'The document (same as docs/openapi.json)',
          schema: z
            .looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) })
            .describe('An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0)'),
        },
      },
    },
    (ctx) => {
      // Built on first use: by then every router is mounted on the app.
      ctx.body = cached ??= document();
    },
  );
  return router;
}
