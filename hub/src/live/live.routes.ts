import { Router } from '@koa/router';
import { z } from 'zod';
import type { LiveEvents } from './live-events.js';
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
  recheck: (user: AppState['user'], token: string) => Promise<UserAccess | undefined>,
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
    (ctx) => {
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
      const unsubscribe = live.subscribe(
        audience,
        (event) => write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
        // Disabled (on any hub process): the stream ends at once.
        end,
      );
      // A session ended, a token revoked or a role changed elsewhere shows at the next beat.
      const heartbeat = setInterval(() => {
        recheck(user, token).then(
          (access) => {
            if (!access) return end();
            audience.branchIds = access.branchIds;
            write(': heartbeat\n\n');
          },
          () => end(),
        );
      }, heartbeatMs);
      ctx.req.once('close', end);
    },
  );
  return router;
}
