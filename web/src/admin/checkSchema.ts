// The option forms for managed checks, one small table per probe type. Names, kinds and limits
// follow the agent's own option schemas (agent/src/probes/*/options.ts), which remain the
// judge: the hub passes options through and the agent validates them. Only the options people
// set often are here; the rest keep the probe's defaults.

export type OptionField =
  | { name: string; kind: 'number'; min?: number; max?: number; integer?: boolean }
  | { name: string; kind: 'text' }
  | { name: string; kind: 'secret' }
  | { name: string; kind: 'boolean' }
  | { name: string; kind: 'choice'; choices: readonly string[] };

export const CHECK_TYPES = ['icmp', 'tcp', 'http', 'dns', 'snmp', 'sip', 'voice', 'onvif'] as const;

const int = (name: string, min: number, max: number): OptionField => ({
  name,
  kind: 'number',
  min,
  max,
  integer: true,
});

export const CHECK_OPTIONS: Record<string, readonly OptionField[]> = {
  icmp: [
    int('count', 1, 1000),
    int('periodMs', 10, 60_000),
    int('perPingTimeoutMs', 1, 60_000),
    { name: 'discardFirst', kind: 'boolean' },
  ],
  tcp: [],
  http: [
    { name: 'method', kind: 'choice', choices: ['GET', 'HEAD'] },
    { name: 'followRedirects', kind: 'boolean' },
    int('maxRedirects', 1, 20),
  ],
  dns: [
    {
      name: 'recordType',
      kind: 'choice',
      choices: ['A', 'AAAA', 'CAA', 'CNAME', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'],
    },
    int('attempts', 1, 5),
    int('attemptTimeoutMs', 100, 30_000),
  ],
  snmp: [
    { name: 'version', kind: 'choice', choices: ['2c', '3'] },
    { name: 'community', kind: 'secret' },
    int('port', 1, 65_535),
    { name: 'lldp', kind: 'boolean' },
  ],
  sip: [
    { name: 'method', kind: 'choice', choices: ['OPTIONS', 'REGISTER'] },
    { name: 'transport', kind: 'choice', choices: ['udp', 'tcp'] },
    { name: 'username', kind: 'text' },
    { name: 'password', kind: 'secret' },
    { name: 'domain', kind: 'text' },
  ],
  voice: [int('count', 5, 1000), int('intervalMs', 10, 1000), int('replyTimeoutMs', 50, 10_000)],
  onvif: [
    { name: 'mode', kind: 'choice', choices: ['device', 'discover'] },
    { name: 'username', kind: 'text' },
    { name: 'password', kind: 'secret' },
    { name: 'snapshot', kind: 'boolean' },
  ],
};

/** The options worth sending: blanks left out, so the probe's defaults apply. */
export function cleanOptions(
  type: string,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CHECK_OPTIONS[type] ?? []) {
    const value = values[field.name];
    if (value === undefined || value === '' || value === null) continue;
    out[field.name] = value;
  }
  return out;
}
