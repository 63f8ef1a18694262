import { readFileSync } from 'node:fs';
import type tls from 'node:tls';
import type { TlsConfig } from '../config/config.js';

/**
 * The hub's certificate and key, read from the files the config names. Read again on SIGHUP
 * (server.ts), so that a renewed certificate (certbot, an internal CA) is served without a
 * restart; a reload that fails keeps the old certificate (docs/contributing.md).
 */
export function readTlsFiles(config: TlsConfig): tls.SecureContextOptions {
  const chain = [readFileSync(config.certFile, 'utf8')];
  // Intermediates follow the leaf in the chain the server sends (RFC 8446 §4.4.2).
  if (config.caFile) chain.push(readFileSync(config.caFile, 'utf8'));
  return {
    cert: chain.join('\n'),
    key: readFileSync(config.keyFile, 'utf8'),
    minVersion: 'TLSv1.2',
  };
}

/** Anything with node's `setSecureContext`: tls.Server and https.Server. */
export interface SecureServer {
  setSecureContext(options: tls.SecureContextOptions): void;
}
