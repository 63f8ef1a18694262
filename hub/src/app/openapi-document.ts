import { buildApp, PUBLIC_API, type AppDeps } from './app.js';
import { createLogger } from '../core/logger.js';
import { HubMetrics } from '../core/metrics.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../http/openapi/document.js';
import { publicAddress } from '../http/public-address.js';

/**
 * The app as `startHub` builds it, without a database: route functions only
 * keep their services for later, so services that are never called stand in for them.
 */
export function documentedApp() {
  const unused = standIn('services') as AppDeps['services'];
  return buildApp({
    services: unused,
    readiness: { database: async () => false, broker: () => false },
    metrics: new HubMetrics(),
    logger: createLogger('silent'),
    webDir: '.',
    address: publicAddress({ mqttUrlAt: (host) => `mqtt://${host}:1883` }),
  });
}

export const generateOpenApiDocument = (): OpenApiDocument =>
  buildOpenApiDocument(documentedApp(), PUBLIC_API);

/** Any property of it is another stand-in; calling one is a bug in a route function. */
function standIn(name: string): unknown {
  return new Proxy(() => undefined, {
    get: (_, key) => (key === 'then' ? undefined : standIn(`${name}.${String(key)}`)),
    apply: () => {
      throw new Error(`the OpenAPI generator called ${name}`);
    },
  });
}
