import { describe, expect, it } from 'vitest';
import {
  chartPath,
  plainText,
  ticketTextLines,
  ticketTextSubject,
  type TicketText,
} from '../index.js';

const check = {
  key: 'intranet',
  type: 'tcp',
  target: '127.0.0.1:9',
  wan: false,
  branch: 'Kerman',
  agent: 'srv-ke',
};
const chart = {
  branchId: 'b1',
  checkId: 'c1',
  from: '2026-12-06T10:50:02.548Z',
  to: '2026-12-06T12:04:51.324Z',
};
const failing: TicketText = {
  kind: 'check_failing',
  check,
  since: '2026-12-06T11:50:02.548Z',
  reason: 'connection refused',
  measured: { connect: null, sent: 3 },
  chart,
  priority: {
    priority: 'low',
    score: 2,
    category: 'tcp',
    criticality: 'normal',
    repeats: 0,
    children: 0,
    weights: { category: 1, criticality: 1, repeats: 0, impact: 0 },
  },
};
const recovered: TicketText = {
  kind: 'recovered',
  since: '2026-12-06T11:50:02.548Z',
  at: '2026-12-06T13:12:40Z',
  worst: { loss: 100, median: 212.4, jitter: 0.37 },
  chart,
};
const chartUrl = `/branches/b1?check=c1&from=2026-12-06T10%3A50%3A02.548Z&to=2026-12-06T12%3A04%3A51.324Z`;

describe('text the hub writes on tickets', () => {
  it('reads like a person wrote it, in English, with the zone named for readers elsewhere', () => {
    const lines = ticketTextLines(failing, {
      language: 'en',
      timeZone: 'Asia/Tehran',
      showZone: true,
    });
    expect(plainText(lines, 'en', 'https://noc.example.test')).toBe(
      [
        'Failing since Dec 6, 2026, 3:20 PM (Asia/Tehran): connection refused.',
        'What: the TCP check intranet on 127.0.0.1:9.',
        'Where: branch Kerman, agent srv-ke.',
        'Last measurements: sent 3.',
        `Chart of the outage: https://noc.example.test${chartUrl}`,
        'Priority low, 2 points: a TCP check (1), a branch of normal importance (1), first ' +
          'time (0), nothing else affected (0).',
      ].join('\n'),
    );
    // The subject names what failed in words, not the check's code name or type.
    expect(ticketTextSubject(failing, 'en')).toBe('Website or application down at Kerman');
  });

  it('keeps times, machine text and the chart apart for a page to render', () => {
    const [first, , , , link] = ticketTextLines(failing, { language: 'en', timeZone: 'UTC' });
    expect(first).toEqual([
      'Failing since ',
      { time: '2026-12-06T11:50:02.548Z', text: 'Dec 6, 2026, 11:50 AM' },
      ': ',
      { value: 'connection refused' },
      '.',
    ]);
    expect(link).toEqual([{ chart, text: 'Chart of the outage' }]);
    expect(chartPath(chart)).toBe(chartUrl);
  });

  it('writes Persian with Persian digits and the Jalali calendar', () => {
    const lines = ticketTextLines(recovered, { language: 'fa', timeZone: 'Asia/Tehran' });
    expect(plainText(lines, 'fa')).toBe(
      [
        'در ۱۵ آذر ۱۴۰۵، ۱۶:۴۲ پس از ۱ ساعت ۲۲ دقیقه قطعی بازیابی شد.',
        'از ۱۵ آذر ۱۴۰۵، ۱۵:۲۰ ناموفق بود.',
        'بدترین مقدار در طول قطعی: اتلاف بسته ۱۰۰٪، میانهٔ RTT ۲۱۲ میلی‌ثانیه، جیتر ۰٫۳۷ میلی‌ثانیه.',
        `نمودار قطعی: ${chartUrl}`,
      ].join('\n'),
    );
    expect(ticketTextSubject(failing, 'fa')).toBe('وب‌سایت یا برنامه در Kerman قطع است');
    expect(ticketTextSubject(failing, 'fr')).toBe('Site web ou application en panne à Kerman');
    const wan = { ...failing, check: { ...check, key: 'uplink', type: 'icmp', wan: true } };
    expect(ticketTextSubject(wan, 'fa')).toBe('لینک اینترنت در Kerman قطع است');
  });

  it('writes French with its own punctuation and the reader’s zone', () => {
    const lines = ticketTextLines(recovered, { language: 'fr', timeZone: 'Europe/Paris' });
    expect(plainText(lines, 'fr')).toBe(
      [
        'Rétabli le 6 déc. 2026, 14:12 après 1 h 22 min d’interruption.',
        'En échec depuis le 6 déc. 2026, 12:50.',
        'Pire valeur pendant la panne\u00a0: perte 100\u00a0%, RTT médian 212 ms, gigue 0,37 ms.',
        `Graphique de la panne\u00a0: ${chartUrl}`,
      ].join('\n'),
    );
  });

  it('says what a priority is made of in words, with each factor’s points', () => {
    const text: TicketText = {
      kind: 'auto_priority',
      priority: {
        priority: 'urgent',
        score: 8,
        category: 'wan',
        criticality: 'critical',
        repeats: 1,
        children: 7,
        weights: { category: 3, criticality: 3, repeats: 1, impact: 2 },
      },
    };
    expect(plainText(ticketTextLines(text, { language: 'en' }), 'en')).toBe(
      'Priority set by the hub to urgent, 8 points: the branch WAN link (3), a branch of ' +
        'critical importance (3), reopened once (1), 7 more checks failing behind it (2).',
    );
  });

  it('names a measured field it has no word for by its own name, kept apart', () => {
    const lines = ticketTextLines(
      { ...recovered, worst: { hopCount: 12 }, chart: undefined },
      { language: 'en', timeZone: 'UTC' },
    );
    expect(lines[2]).toEqual(['Worst during the outage: ', { value: 'hopCount' }, ' 12', '.']);
  });

  it('says a check went silent without claiming it failed or recovered', () => {
    const stale: TicketText = {
      kind: 'stale',
      check: 'kiosk',
      agent: 'srv',
      agentOnline: false,
      since: '2026-12-06T11:50:00Z',
      lastResult: '2026-12-06T11:49:42Z',
      at: '2026-12-06T11:52:12Z',
    };
    expect(plainText(ticketTextLines(stale, { language: 'en', timeZone: 'UTC' }), 'en')).toBe(
      [
        'No data: kiosk has missed two rounds in a row; its last result came 2 min 30 s ago.',
        'The agent srv is not connected to the hub.',
        'Whether the check still fails cannot be seen: the ticket stays open and is neither ' +
          'counted as failing nor resolved until results come back (stale since Dec 6, 2026, ' +
          '11:50 AM).',
      ].join('\n'),
    );
    const back: TicketText = { kind: 'data_back', gapMs: 95_000, stillFailing: true };
    expect(plainText(ticketTextLines(back, { language: 'fa' }), 'fa')).toBe(
      'داده پس از ۱ دقیقه ۳۵ ثانیه بی‌نتیجه بازگشت: هنوز ناموفق است.',
    );
  });
});

describe('an offline agent’s ticket subject', () => {
  const offline = (agent: string, agentNamed?: boolean): TicketText => ({
    kind: 'agent_offline',
    agent,
    ...(agentNamed === undefined ? {} : { agentNamed }),
    branch: 'Kerman',
    since: '2026-12-06T11:50:02.548Z',
  });

  it('names the branch, not the code name of an agent nobody named', () => {
    const text = offline('srv-ke', false);
    expect(ticketTextSubject(text, 'en')).toBe('Kerman unreachable: its agent is offline');
    expect(ticketTextSubject(text, 'fa')).toBe('Kerman در دسترس نیست: عامل آن آفلاین است');
    expect(ticketTextSubject(text, 'fr')).toBe(
      'Kerman injoignable\u00a0: son agent est hors ligne',
    );
    for (const language of ['en', 'fa', 'fr'] as const)
      expect(ticketTextSubject(text, language)).not.toContain('srv-ke');
  });

  it('names an agent by the name a person gave it', () => {
    const text = offline('Back-office server', true);
    expect(ticketTextSubject(text, 'en')).toBe(
      'Agent Back-office server offline at Kerman: branch unreachable',
    );
  });
});
