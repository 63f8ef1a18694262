/** A stretch without service; `to` null: still down. */
export interface Outage {
  readonly from: Date;
  readonly to: Date | null;
}

export interface Period {
  readonly from: Date;
  readonly to: Date;
}

export interface Availability {
  readonly periodMs: number;
  /** The outages inside the period: clipped to it, overlapping ones merged, in order. */
  readonly outages: readonly { readonly from: Date; readonly to: Date }[];
  readonly downtimeMs: number;
  /** 100 × (period − downtime) / period. */
  readonly percent: number;
  readonly targetPercent: number;
  readonly met: boolean;
  /** Downtime the target allows over the whole period. */
  readonly allowedDowntimeMs: number;
  /** allowed − downtime: negative once the budget is spent. */
  readonly budgetRemainingMs: number;
}

/**
 * Availability of a link over a period (a month, usually) against a target such as 99.5 %.
 * An ongoing outage counts until `now` (default: the period's end). For a period still in
 * progress the result is the standing so far: later time counts as up, the budget is the
 * whole period's.
 */
export function availability(
  outages: readonly Outage[],
  period: Period,
  targetPercent: number,
  now: Date = period.to,
): Availability {
  const start = period.from.getTime();
  const end = period.to.getTime();
  if (!(end > start)) throw new RangeError('an availability period must end after it starts');
  if (!(targetPercent >= 0 && targetPercent <= 100)) {
    throw new RangeError(`availability target must be a percentage, got ${targetPercent}`);
  }
  const clipped = outages
    .map((o) => ({
      from: Math.max(o.from.getTime(), start),
      to: Math.min(o.to === null ? now.getTime() : o.to.getTime(), end),
    }))
    .filter((o) => o.to > o.from)
    .sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const o of clipped) {
    const prev = merged.at(-1);
    // Touching outages (one ends as the next begins) are one outage to the people affected.
    if (prev && o.from <= prev.to) prev.to = Math.max(prev.to, o.to);
    else merged.push({ ...o });
  }
  const periodMs = end - start;
  const downtimeMs = merged.reduce((sum, o) => sum + o.to - o.from, 0);
  // Multiply before dividing: 0.5 × 2 592 000 000 / 100 is exact, 0.005 × … is not.
  const allowedDowntimeMs = Math.floor((periodMs * (100 - targetPercent)) / 100);
  return {
    periodMs,
    outages: merged.map((o) => ({ from: new Date(o.from), to: new Date(o.to) })),
    downtimeMs,
    percent: (100 * (periodMs - downtimeMs)) / periodMs,
    targetPercent,
    met: downtimeMs <= allowedDowntimeMs,
    allowedDowntimeMs,
    budgetRemainingMs: allowedDowntimeMs - downtimeMs,
  };
}
