import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError } from '../../http/errors.js';
import type { AuditService } from './audit.service.js';
import { defineRoute } from '../../http/define.js';
import { itemsOf } from '../../http/schemas.js';
import { auditEntry } from '../identity.schemas.js';
import type { AppState } from '../../http/request-state.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The `nextBefore` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  action: z.string().min(1).max(100).optional(),
  actorId: z.uuid().optional(),
});

/** The audit log, newest first (audit.read), for users without a tenant. */
export function auditRoutes(audit: AuditService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/audit' });

  defineRoute(
    router,
    {
      method: 'get',
      path: '/',
      summary: 'The audit log, newest first, one page',
      tags: ['audit'],
      query: listQuery,
      responses: {
        200: {
          description: 'One page; pass nextBefore as `before` for the next (null: last page)',
          schema: itemsOf(auditEntry).extend({ nextBefore: z.number().int().nullable() }),
        },
      },
    },
    async (ctx, read) => {
      // The log spans every tenant: the permission (audit.read) is checked by the route table,
      // and only a user bound to no tenant may read across them.
      if (ctx.state.user.tenantId !== null)
        throw apiError(403, 'BW_ERR_FORBIDDEN', 'the audit log is for users without a tenant');
      const { limit, ...filter } = read.query();
      const items = await audit.list(filter, limit);
      ctx.body = {
        items,
        nextBefore: items.length === limit ? items[items.length - 1]!.seq : null,
      };
    },
  );

  return router;
}
