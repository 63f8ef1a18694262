import { z } from 'zod';
import { positiveInt } from './shared.js';

/** Alert hysteresis, flapping, reopening and expiry; time-series retention and rollups. */
export const alertKeys = {
  BW_ALERT_FAIL_ROUNDS: positiveInt
    .max(100)
    .default(3)
    .describe(
      'Failed rounds in a row before a check is failing (docs/architecture.md "Alerts become tickets").',
    ),
  BW_ALERT_RECOVER_ROUNDS: positiveInt
    .max(100)
    .default(2)
    .describe('Good rounds in a row before a failing check has recovered.'),
  // Alerts (docs/alerts.md) — added by the alerts feature.
  BW_ALERT_FLAP_CHANGES: positiveInt
    .max(1000)
    .default(5)
    .describe('More state changes than this inside the flap window mark a check flapping.'),
  BW_ALERT_FLAP_WINDOW_SECONDS: positiveInt
    .max(86400)
    .default(1800)
    .describe('Window over which state changes are counted for flapping, seconds.'),
  BW_ALERT_FLAP_QUIET_SECONDS: positiveInt
    .max(86400)
    .default(1800)
    .describe('Seconds without a state change before a flapping check is calm again.'),
  BW_ALERT_REOPEN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86400)
    .default(3600)
    .describe('A repeat this soon after its ticket was resolved reopens that ticket; 0: never.'),
  BW_ALERT_EXPIRE_SECONDS: positiveInt
    .max(365 * 86400)
    .default(86400)
    .describe('A failing check without any result for this long has its alert expired.'),
  BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86400)
    .default(60)
    .describe('Seconds an agent may be offline before its "agent offline" ticket opens.'),
  BW_ALERT_SWEEP_SECONDS: positiveInt
    .max(3600)
    .default(15)
    .describe('Seconds between alert sweeps (grace, maintenance end, flapping calm, expiry).'),
  BW_RETENTION_DAYS: positiveInt
    .max(3650)
    .default(30)
    .describe(
      'Days of raw rounds kept; rollups are kept longer (minute 90 d, hour 400 d, day always).',
    ),
  BW_ROLLUP_INTERVAL_SECONDS: positiveInt
    .max(3600)
    .default(30)
    .describe('Seconds between runs of the rollup job.'),
};

type AlertSettings = z.infer<z.ZodObject<typeof alertKeys>>;

export function alertsConfig(c: AlertSettings) {
  return {
    failRounds: c.BW_ALERT_FAIL_ROUNDS,
    recoverRounds: c.BW_ALERT_RECOVER_ROUNDS,
    flap: {
      changes: c.BW_ALERT_FLAP_CHANGES,
      windowSeconds: c.BW_ALERT_FLAP_WINDOW_SECONDS,
      quietSeconds: c.BW_ALERT_FLAP_QUIET_SECONDS,
    },
    reopenSeconds: c.BW_ALERT_REOPEN_SECONDS,
    expireSeconds: c.BW_ALERT_EXPIRE_SECONDS,
    agentOfflineGraceSeconds: c.BW_ALERT_AGENT_OFFLINE_GRACE_SECONDS,
    sweepSeconds: c.BW_ALERT_SWEEP_SECONDS,
  };
}

export function timeseriesConfig(c: AlertSettings) {
  return {
    retentionDays: c.BW_RETENTION_DAYS,
    rollupIntervalSeconds: c.BW_ROLLUP_INTERVAL_SECONDS,
  };
}
