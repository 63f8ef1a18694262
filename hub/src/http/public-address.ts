import type { Context } from 'koa';

/**
 * The addresses the hub hands out: in the install and enroll commands, as the agents' update
 * URL, and as the MQTT URL in a new agent's config. Set by the admin (BW_PUBLIC_URL,
 * BW_PUBLIC_MQTT_URL) for a hub behind a name or a proxy; otherwise taken from the address the
 * admin's browser used, which is right when they reach it as the branch servers will.
 */
export interface PublicAddress {
  /** `https://hub.example.com`: the hub's origin, no trailing slash. */
  origin(ctx: Context): string;
  /** The MQTT URL a new agent connects to. */
  mqttUrl(ctx: Context): string;
}

export function publicAddress(options: {
  origin?: string;
  mqttUrl?: string;
  /** The MQTT URL when neither is set, given the host name to use. */
  mqttUrlAt: (host: string) => string;
}): PublicAddress {
  const configuredHost = options.origin ? new URL(options.origin).hostname : undefined;
  return {
    origin: (ctx) => options.origin ?? `${ctx.protocol}://${ctx.host}`,
    mqttUrl: (ctx) => options.mqttUrl ?? options.mqttUrlAt(configuredHost ?? ctx.hostname),
  };
}
