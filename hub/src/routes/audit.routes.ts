import { Router } from '@koa/router';
import { z } from 'zod';
import { apiError } from '../errors.js';
import type { AppState } from '../middleware/session.js';
import { isAdmin } from '../services/auth.service.js';
import type { AuditService } from '../services/audit.service.js';
import { parseInput } from './validate.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The `nextBefore` of the previous page. */
  before: z.coerce.number().int().positive().optional(),
  action: z.string().min(1).max(100).optional(),
  actorId: z.uuid().optional(),
});

/** The audit log, newest first, for global admins. */
export function auditRoutes(audit: AuditService): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/audit' });

  router.get('/', async (ctx) => {
    if (!isAdmin(ctx.state.user)) throw apiError(403, 'BW_ERR_FORBIDDEN', 'admins only');
    const { limit, ...filter } = parseInput(listQuery, ctx.query);
    const items = await audit.list(filter, limit);
    ctx.body = {
      items,
      nextBefore: items.length === limit ? items[items.length - 1]!.seq : null,
    };
  });

  return router;
}
