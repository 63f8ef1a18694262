import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { publicAddress } from './public-address.js';

/** A request context as Koa makes it, for `host` over `protocol`. */
function contextFor(host: string, encrypted = false): Koa.Context {
  const app = new Koa();
  const req = { headers: { host }, socket: { encrypted }, url: '/', method: 'GET' };
  return app.createContext(req as never, {} as never);
}

describe('the addresses the hub hands to branch servers', () => {
  const mqttUrlAt = (host: string) => `mqtt://${host}:1883`;

  it('are those the admin reached it by when nothing is set', () => {
    const address = publicAddress({ mqttUrlAt });
    const ctx = contextFor('hub.branch.lan:8080');
    expect(address.origin(ctx)).toBe('http://hub.branch.lan:8080');
    expect(address.mqttUrl(ctx)).toBe('mqtt://hub.branch.lan:1883');
    expect(address.origin(contextFor('hub.branch.lan', true))).toBe('https://hub.branch.lan');
  });

  it('are BW_PUBLIC_URL and its host name when it is set, whatever the browser used', () => {
    const config = loadConfig({ BW_PUBLIC_URL: 'https://noc.example.com/' });
    expect(config.http.publicOrigin).toBe('https://noc.example.com');
    const address = publicAddress({ origin: config.http.publicOrigin, mqttUrlAt });
    const ctx = contextFor('localhost:8080');
    expect(address.origin(ctx)).toBe('https://noc.example.com');
    expect(address.mqttUrl(ctx)).toBe('mqtt://noc.example.com:1883');
    const both = publicAddress({
      origin: config.http.publicOrigin,
      mqttUrl: 'mqtts://mqtt.example.com:8883',
      mqttUrlAt,
    });
    expect(both.mqttUrl(ctx)).toBe('mqtts://mqtt.example.com:8883');
  });

  it('refuses a BW_PUBLIC_URL that is not an http(s) origin, naming the setting', () => {
    for (const bad of ['noc.example.com', 'ftp://noc.example.com', 'https://noc.example.com/hub']) {
      expect(() => loadConfig({ BW_PUBLIC_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ BW_PUBLIC_URL: bad })).toThrow(/BW_PUBLIC_URL/);
    }
    expect(loadConfig({}).http.publicOrigin).toBeUndefined();
  });
});
