import { FIELD_UNITS } from '@branchwatch/api';
import { z } from 'zod';

/**
 * Thresholds on the measured fields of a round (docs/alerts.md "Rules"). A round is bad when
 * the probe said `failed` or when any enabled threshold is breached; the breach becomes the
 * failure reason people read on the ticket.
 */
export const thresholdSchema = z.strictObject({
  /** A numeric field of the result's `fields`, as the contract names it (`loss`, `median`). */
  field: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'must be a result field name'),
  op: z.enum(['>', '>=', '<', '<=']),
  value: z.number().finite(),
  /** Compare the absolute value (clock drift is late or early). */
  abs: z.boolean().optional(),
  /** false switches off a threshold a wider layer (or the default table) set. */
  enabled: z.boolean().optional(),
});
export type Threshold = z.infer<typeof thresholdSchema>;

/**
 * Defaults per check type, used where no rule says otherwise. Chosen from what degrades the
 * service people notice: ITU-T G.114 puts one-way delay past 150 ms as noticeable (so a
 * 150 ms median RTT on a WAN ping is a warning sign), MOS below 3.6 is "some users
 * dissatisfied" (ITU-T G.107 Annex B), and a camera clock off by more than 5 s breaks
 * recording timelines and digest authentication.
 */
export const DEFAULT_THRESHOLDS: Record<string, Threshold[]> = {
  icmp: [
    { field: 'loss', op: '>', value: 5 },
    { field: 'median', op: '>', value: 150 },
  ],
  voice: [
    { field: 'loss', op: '>', value: 3 },
    { field: 'mos', op: '<', value: 3.6 },
    { field: 'jitter', op: '>', value: 30 },
  ],
  http: [
    { field: 'total', op: '>', value: 5000 },
    { field: 'certDaysLeft', op: '<', value: 14 },
  ],
  tcp: [{ field: 'connect', op: '>', value: 1000 }],
  dns: [{ field: 'resolveMs', op: '>', value: 1000 }],
  sip: [{ field: 'latency', op: '>', value: 2000 }],
  onvif: [{ field: 'driftSeconds', op: '>', value: 5, abs: true }],
  snmp: [{ field: 'responseMs', op: '>', value: 2000 }],
};

/** Layers thresholds: a later layer's threshold replaces an earlier one on the same field. */
export function mergeThresholds(layers: readonly (readonly Threshold[])[]): Threshold[] {
  const byField = new Map<string, Threshold>();
  for (const layer of layers) for (const t of layer) byField.set(t.field, t);
  return [...byField.values()].filter((t) => t.enabled !== false);
}

/** The breaches of a round's fields, as reasons such as "loss 12 % > 5 %". */
export function breaches(
  fields: Record<string, unknown> | null | undefined,
  thresholds: readonly Threshold[],
): string[] {
  const found: string[] = [];
  for (const t of thresholds) {
    const raw = fields?.[t.field];
    // A missing or null field is not a breach: the probe's own status covers "no answer".
    if (typeof raw !== 'number' || !Number.isFinite(raw)) continue;
    const measured = t.abs ? Math.abs(raw) : raw;
    if (compare(measured, t.op, t.value)) {
      const unit = unitOf(t.field);
      const name = t.abs ? `|${t.field}|` : t.field;
      found.push(`${name} ${round(measured)}${unit} ${t.op} ${t.value}${unit}`);
    }
  }
  return found;
}

function compare(measured: number, op: Threshold['op'], value: number): boolean {
  switch (op) {
    case '>':
      return measured > value;
    case '>=':
      return measured >= value;
    case '<':
      return measured < value;
    case '<=':
      return measured <= value;
  }
}

/** True for fields where a lower value is worse (a `<` threshold), e.g. MOS. */
export function lowerIsWorse(field: string, thresholds: readonly Threshold[]): boolean {
  const t = thresholds.find((x) => x.field === field);
  return t ? t.op === '<' || t.op === '<=' : field === 'mos' || field === 'r';
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function unitOf(field: string): string {
  const unit = FIELD_UNITS[field];
  return unit ? ` ${unit}` : '';
}
