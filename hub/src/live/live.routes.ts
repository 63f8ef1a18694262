import { Router } from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { LiveEvent, LiveEvents } from './live-events.js';
import { defineRoute } from '../http/define.js';
import type { AppState, UserAccess } from '../http/request-state.js';

/** Keeps proxies from closing an idle stream (nginx's proxy_read_timeout is 60 s). */
const HEARTBEAT_MS = 20_000;

/**
 * Server-Sent Events (WHATWG HTML §9.2) of the user's tenant: `check.stateChanged`,
 * `ticket.changed` and `agent.statusChanged`, each `data` a JSON object of ids.
 */
export function liveRoutes(
  live: LiveEvents,
  /**
   * The user's access now if their session or token is still good and they may still read
   * the stream (identity/access.ts); undefined ends the stream.
   */
  recheck: Recheck,
  /**
   * Whether a requester reaches a ticket in the portal (their own, followed, or their
   * branches' with `portal.branch_tickets`), asked under their row-level security.
   */
  portalReaches: (user: AppState['user'], access: UserAccess, ticketId: string) => Promise<boolean>,
  heartbeatMs = HEARTBEAT_MS,
): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  defineRoute(
    router,
    {
      method: 'get',
      path: '/events/stream',
      summary: "Live events of the user's tenant (Server-Sent Events)",
      tags: ['live'],
      responses: {
        200: {
          description:
            'An endless text/event-stream; `event` is the type, `data` JSON with ids; ' +
            'a comment line every 20 s keeps it open',
          contentType: 'text/event-stream',
          schema: z
            .string()
            .describe('event: <type>\ndata: {"type":…,"tenantId":…, ids…}\n\n, repeated'),
        },
      },
    },
    (ctx) => stream(ctx, live, 'GET /api/v1/events/stream', recheck, heartbeatMs),
  );
  defineRoute(
    router,
    {
      method: 'get',
      path: '/portal/events/stream',
      summary: "Live events of the requester's portal (Server-Sent Events)",
      tags: ['portal', 'live'],
      responses: {
        200: {
          description:
            'An endless text/event-stream of what the person may see in the portal: ' +
            "`ticket.changed` of their own and followed tickets (or their branches' with " +
            '`portal.branch_tickets`), `inbox.added` of their notification centre, and their ' +
            "branches' check and agent changes with `inventory.read`",
          contentType: 'text/event-stream',
          schema: z
            .string()
            .describe('event: <type>\ndata: {"type":…,"tenantId":…, ids…}\n\n, repeated'),
        },
      },
    },
    (ctx) =>
      stream(
        ctx,
        live,
        'GET /api/v1/portal/events/stream',
        recheck,
        heartbeatMs,
        (event, access) => {
          if (event.type === 'ticket.changed')
            return portalReaches(ctx.state.user, access, event.ticketId);
          if (event.type === 'inbox.added') return Promise.resolve(true);
          return Promise.resolve(access.permissions.has('inventory.read'));
        },
      ),
  );
  return router;
}

type Recheck = (
  user: AppState['user'],
  token: string,
  route: string,
) => Promise<UserAccess | undefined>;

/**
 * One Server-Sent Events stream (WHATWG HTML §9.2): every event the audience may read by
 * row-level security's rules (`visibleTo`), and of those the ones `admits` lets through.
 */
function stream(
  ctx: Context & { state: AppState },
  live: LiveEvents,
  route: string,
  recheck: Recheck,
  heartbeatMs: number,
  admits?: (event: LiveEvent, access: UserAccess) => Promise<boolean>,
) {
  // Written to the socket directly: Koa would treat the client leaving as a failed body.
  ctx.respond = false;
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // nginx buffers responses unless told not to.
    'x-accel-buffering': 'no',
  });
  const write = (text: string) => ctx.res.write(text);
  write('retry: 3000\n\n');
  const { user, token } = ctx.state;
  // What row-level security lets this user read; kept current at each heartbeat.
  const audience = {
    userId: user.id,
    tenantId: user.tenantId,
    branchIds: ctx.state.access.branchIds,
  };
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    ctx.res.end();
  };
  let access = ctx.state.access;
  let admitted = Promise.resolve();
  const send = (event: LiveEvent) =>
    write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const unsubscribe = live.subscribe(
    audience,
    admits
      ? // One after the other, so the stream keeps the order the events came in.
        (event) => {
          admitted = admitted
            .then(() => admits(event, access))
            .then(
              (yes) => {
                if (yes && !ended) send(event);
              },
              () => undefined,
            );
        }
      : send,
    // Disabled (on any hub process): the stream ends at once.
    end,
  );
  // A session ended, a token revoked or a role changed elsewhere shows at the next beat.
  const heartbeat = setInterval(() => {
    recheck(user, token, route).then(
      (now) => {
        if (!now) return end();
        access = now;
        audience.branchIds = now.branchIds;
        write(': heartbeat\n\n');
      },
      () => end(),
    );
  }, heartbeatMs);
  ctx.req.once('close', end);
}
