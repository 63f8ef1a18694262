import { voiceRules, type VoiceCodecScore, type VoiceFields } from '@branchwatch/contract';
import type { Probe, ProbeOutcome } from '../probe.js';
import { parseSipTarget, uriHost } from '../sip/target.js';
import { openFlow } from '../sip/transport.js';
import { runBurst } from './burst.js';
import { CODECS, eModel } from './emodel.js';
import { pathStats, type PathStats } from './loss-pattern.js';
import type { VoiceOptions } from './options.js';

/**
 * A burst of SIP OPTIONS toward the PBX at a call's packet rate, and the voice quality the ITU-T
 * G.107 E-model predicts from its delay, jitter and loss, per codec. See README.md.
 */
export const voiceProbe: Probe<VoiceOptions, 'voice'> = {
  type: 'voice',
  ...voiceRules,
  blankFields: () => fieldsFor(pathStats([]), null, null),
  async run(check, signal) {
    const options = check.options;
    const target = parseSipTarget(check.target);
    if (typeof target === 'string') return failed(target);
    const flow = await openFlow('udp', target.host, target.port, signal);
    if (typeof flow === 'string') return failed(flow);
    let burst;
    try {
      burst = await runBurst({
        flow,
        requestUri: `sip:${uriHost(target.host)}:${target.port}`,
        count: options.count,
        intervalMs: options.intervalMs,
        replyTimeoutMs: options.replyTimeoutMs,
        signal,
      });
    } finally {
      flow.close();
    }
    const stats = pathStats(burst.samples);
    const scored = score(stats, options);
    const fields = fieldsFor(stats, scored.delay, scored.codecs[0] ?? null);
    const extras = { codecs: scored.codecs, samples: burst.samples };
    if (burst.failure) return { status: 'failed', reason: burst.failure, fields, ...extras };
    if (stats.received === 0) {
      const reason = `no reply to ${stats.sent} SIP OPTIONS within ${options.replyTimeoutMs} ms`;
      return { status: 'failed', reason, fields, ...extras };
    }
    // A lossy burst is still ok, with its loss and MOS: thresholds belong to the hub's rules.
    return { status: 'ok', fields, ...extras };
  },
};

/**
 * One-way delay = mean RTT / 2 (the path is assumed symmetric) + the jitter-buffer allowance
 * (the configured depth, else 2 × jitter); each codec adds its packet time and look-ahead.
 * Nothing is scored without a reply, since then the delay is unknown.
 */
function score(stats: PathStats, options: VoiceOptions) {
  if (stats.rttMean === null) return { delay: null, codecs: [] as VoiceCodecScore[] };
  const buffer = options.jitterBufferMs ?? 2 * (stats.jitter ?? 0);
  const delay = round3(stats.rttMean / 2 + buffer);
  const codecs = options.codecs.map((codec): VoiceCodecScore => {
    const profile = CODECS[codec];
    const mouthToEar = round3(delay + profile.packetMs + profile.lookaheadMs);
    const s = eModel({
      codec: profile,
      delayMs: mouthToEar,
      lossPercent: stats.loss,
      burstR: stats.burstR ?? 1,
    });
    return { codec, delay: mouthToEar, ieEff: round3(s.ieEff), r: round3(s.r), mos: round3(s.mos) };
  });
  return { delay, codecs };
}

function fieldsFor(
  stats: PathStats,
  delay: number | null,
  first: VoiceCodecScore | null,
): VoiceFields {
  return { ...stats, delay, r: first?.r ?? null, mos: first?.mos ?? null };
}

function failed(reason: string): ProbeOutcome<'voice'> {
  return { status: 'failed', reason, fields: fieldsFor(pathStats([]), null, null) };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
