import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import type Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENAPI_FILE,
  WEB_TYPES_FILE,
  renderOpenApiDocument,
  renderWebTypes,
} from '../../../../scripts/openapi.js';
import { documentedApp, generateOpenApiDocument } from '../../app/openapi-document.js';

type Operation = {
  summary: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
};
const document = generateOpenApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
};

// Generated things are committed, and this test fails when they are stale (docs/contributing.md).
describe('docs/openapi.json', () => {
  it('is what `pnpm docs:openapi` writes from the route schemas today', async () => {
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8'), 'stale: run `pnpm docs:openapi`').toBe(
      await renderOpenApiDocument(),
    );
  });

  it("is what the web's generated API types were made from", async () => {
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');
    expect(fs.readFileSync(WEB_TYPES_FILE, 'utf8'), 'stale: run `pnpm docs:openapi`').toBe(
      await renderWebTypes(committed),
    );
  });

  it('lists every method of every route in the routers the app mounts', () => {
    // Walked independently of the generator: each router's own stack (@koa/router Layer).
    const app = documentedApp() as Koa;
    const routes: string[] = [];
    for (const mw of app.middleware as {
      router?: { stack: { path: string; methods: string[] }[] };
    }[])
      for (const layer of mw.router?.stack ?? [])
        for (const method of layer.methods.filter((m) => m !== 'HEAD'))
          routes.push(`${method} ${layer.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(60);
    const listed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual([...new Set(routes)].sort());
  });

  it('carries the schemas the converted routes validate with', () => {
    expect(document.openapi).toBe('3.1.0');
    const open = document.paths['/api/v1/tickets']!.post!;
    expect(open.requestBody!.content['application/json']!.schema.required).toEqual([
      'subject',
      'body',
    ]);
    const queue = document.paths['/api/v1/tickets']!.get!;
    expect(queue.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['state', 'priority', 'q', 'sort', 'limit', 'offset']),
    );
    const series = document.paths['/api/v1/checks/{id}/series']!.get!;
    expect(series.parameters!.filter((p) => p.required).map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:from',
    ]);
    expect(document.paths['/api/v1/auth/login']!.post!.security).toEqual([]);
    expect(document.paths['/api/v1/tickets/{id}']!.get!.security).toBeUndefined();
  });
});

describe('GET /api/v1/openapi.json', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(documentedApp().callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the committed document without a session', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8')));
  });
});
