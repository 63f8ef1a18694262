import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  createLogger,
  loadConfig,
  startHub,
  type Database,
  type RunningHub,
} from '@branchwatch/hub';
import { DailyDigest } from '../../hub/src/notify/digest.js';
import { NotifyDispatcher } from '../../hub/src/notify/dispatcher.js';
import { NotifyRepository } from '../../hub/src/notify/notify.repository.js';
import { NotifySourceRepository } from '../../hub/src/notify/notify-source.repository.js';
import { SlaRepository } from '../../hub/src/helpdesk/sla/sla.repository.js';
import { TicketRepository } from '../../hub/src/helpdesk/ticket.repository.js';
import { hashPassword } from '../../hub/src/identity/password.js';
import { SlaService } from '../../hub/src/helpdesk/sla/sla.service.js';
import { createTestDatabase } from '../support/database.js';
import { ApiClient, waitFor } from '../support/http.js';
import { ADMIN_PASSWORD } from '../support/hub.js';
import { startSmtpReceiver, type ReceivedMail } from '../support/smtp.js';

// The daily digest end to end: users' own time zones and languages, their open tickets with
// SLA states, mailed through the real hub's outbox to a real SMTP server on loopback; once a
// day however many digest jobs run (two at once, a restarted hub).
//
// The digest's clock is injected: each "digest job" below is the hub's DailyDigest built on its
// own database pool, and `runAt(T)` is what the hub's timer does at instant T. The hubs'
// own timers run on the real clock; their digests carry today's date and are told apart from
// the test's by the date in the subject.
const DIGEST_HOUR = '7';
let databaseUrl: string;
let env: Record<string, string>;
let hub: RunningHub;
let db: Database;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>> | undefined;
let tenantId: string;
let lead: ApiClient;
let mails: ReceivedMail[] = [];
const ids: Record<string, string> = {};
const jobs: { close(): Promise<void> }[] = [];

const startTheHub = async () =>
  startHub(loadConfig(env), createLogger(process.env.BW_TEST_LOG ?? 'silent'));

/** One hub process's digest job, on its own pool, with the clock the test gives `runAt`. */
function digestJob(): DailyDigest {
  const pool = connectDatabase(databaseUrl, { min: 0, max: 2 });
  jobs.push({ close: () => pool.destroy() });
  const repo = new NotifyRepository(pool);
  const source = new NotifySourceRepository(pool);
  const logger = createLogger('silent');
  const dispatcher = new NotifyDispatcher(
    repo,
    source,
    () => ['webhook', 'email'],
    () => undefined,
    pool,
    logger,
  );
  const sla = new SlaService(new SlaRepository(pool));
  const tickets = new TicketRepository(pool);
  const clocksOf = async (id: string, now: Date) =>
    sla.clocksOf((await tickets.findById(id))!, await tickets.events(id), now);
  return new DailyDigest(
    { prefs: repo, source, dispatcher, clocksOf },
    Number(DIGEST_HOUR),
    logger,
  );
}

/** The instant a wall clock in `timeZone` shows `date` `hhmm`. */
function wallClock(date: string, hhmm: string, timeZone: string): Date {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const shown = (at: Date) => {
    const part = (type: string) =>
      Number(format.formatToParts(at).find((x) => x.type === type)!.value);
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  };
  const wanted = Date.parse(`${date}T${hhmm}:00Z`);
  let t = wanted;
  for (let i = 0; i < 3; i++) t += wanted - shown(new Date(t));
  return new Date(t);
}

/** `YYYY-MM-DD HH:mm` in a zone, written independently of the hub's own helper. */
const wallText = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Digest mails to `address` for the test's dates (the hubs' own timers use today's). */
const digestsTo = (address: string, dates: string[]) =>
  mails.filter(
    (m) => m.to.includes(address) && dates.some((d) => m.mail.subject?.includes(d) ?? false),
  );

async function person(username: string, role: string, preferences?: Record<string, unknown>) {
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  ids[username] = row.id as string;
  const api = new ApiClient(`http://127.0.0.1:${hub.httpPort}`);
  await api.login(username, 'password-123');
  if (preferences) {
    const res = await api.request('PUT', '/api/v1/notify/preferences', preferences);
    expect(res.status).toBe(200);
  }
  return api;
}

const digestPrefs = (language: string, email: string, timeZone: string) => ({
  language,
  email,
  channels: ['email'],
  events: ['digest.daily'],
  timeZone,
});

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  mails = smtp.mails;
  databaseUrl = await createTestDatabase();
  env = {
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: '0',
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BW_SMTP_URL: smtp.url,
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
    BW_NOTIFY_POLL_MS: '100',
    BW_NOTIFY_DIGEST_HOUR: DIGEST_HOUR,
  };
  hub = await startTheHub();
  db = connectDatabase(databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  lead = await person('lead', 'tenant_admin');
  await person('ali', 'support_agent', digestPrefs('fa', 'ali@branchwatch.test', 'Asia/Tehran'));
  await person(
    'pierre',
    'noc_operator',
    digestPrefs('fr', 'pierre@branchwatch.test', 'Europe/Paris'),
  );
  await person(
    'john',
    'noc_operator',
    digestPrefs('en', 'john@branchwatch.test', 'America/New_York'),
  );
  // Gets every opened ticket by mail, but never asked for the digest.
  await person('nodigest', 'noc_operator', {
    email: 'nodigest@branchwatch.test',
    channels: ['email'],
    events: ['ticket.opened'],
  });
}, 180_000);

afterAll(async () => {
  for (const job of jobs) await job.close();
  await db?.destroy();
  await hub?.stop();
  await smtp?.close();
});

describe('daily digest', () => {
  // Two days ahead: every zone's 07:00 of that date is in the future.
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const next = addDays(day, 1);
  const aliAt = wallClock(day, '07:10', 'Asia/Tehran');
  const t: Record<string, { id: string; number: number }> = {};
  let dueText: string;
  let deadline: Date;
  let processA: DailyDigest;
  let processB: DailyDigest;

  it('prepares SLA policies and tickets in several SLA states', async () => {
    const { calendar } = await lead.post<{ calendar: { id: string } }>('/api/v1/sla/calendars', {
      name: 'Always',
      spec: {
        zone: 'UTC',
        week: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ['00:00-24:00']]),
        ),
      },
    });
    const policy = (name: string, position: number, hours: number, priority: string[]) => ({
      name,
      position,
      calendarId: calendar.id,
      firstResponseMs: (hours / 2) * 3600_000,
      resolutionMs: hours * 3600_000,
      conditions: { priority },
    });
    // Low priority matches no policy: "no SLA".
    await lead.post('/api/v1/sla/policies', policy('urgent', 0, 1, ['urgent']));
    await lead.post('/api/v1/sla/policies', policy('standard', 1, 20 * 24, ['normal', 'high']));
    const open = async (key: string, subject: string, priority: string) => {
      t[key] = (
        await lead.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
          subject,
          body: `${subject}.`,
          priority,
        })
      ).ticket;
    };
    await open('router', 'Router down', 'urgent');
    await open('printer', 'Printer jam', 'normal');
    await open('done', 'Old cable fault', 'high');
    await open('vpn', 'VPN flaps at night', 'low');
    for (const key of ['printer', 'router', 'done']) {
      const res = await lead.request('PATCH', `/api/v1/tickets/${t[key]!.id}`, {
        assigneeId: ids.ali,
      });
      expect(res.status).toBe(200);
    }
    const resolved = await lead.request('PATCH', `/api/v1/tickets/${t.done!.id}`, {
      state: 'resolved',
    });
    expect(resolved.status).toBe(200);
    const watch = await lead.request('POST', `/api/v1/tickets/${t.vpn!.id}/watchers`, {
      userId: ids.pierre,
    });
    expect(watch.status).toBe(204);
    const printer = await lead.get<{ clocks: { firstResponse: { deadline: string } } }>(
      `/api/v1/tickets/${t.printer!.id}`,
    );
    deadline = new Date(printer.clocks.firstResponse.deadline);
    dueText = wallText(deadline, 'Asia/Tehran');
    const list = await lead.request('POST', '/api/v1/notify/subscriptions', {
      channel: 'email',
      address: 'noc-list@branchwatch.test',
      events: ['digest.daily'],
    });
    expect(list.status).toBe(201);
    processA = digestJob();
    processB = digestJob();
  });

  it("sends nothing before the hour in anyone's time zone", async () => {
    const before = new Date(aliAt.getTime() - 15 * 60_000); // 06:55 in Tehran
    expect(await processA.runAt(before)).toBe(0);
  });

  it('mails a user at 07:00 in their own zone, in their language, their open tickets with SLA states, once though two hub processes run it', async () => {
    const added = await Promise.all([processA.runAt(aliAt), processB.runAt(aliAt)]);
    expect(added[0]! + added[1]!).toBe(1);
    const [mail] = await waitFor('the Persian digest', async () => {
      const got = digestsTo('ali@branchwatch.test', [day]);
      return got.length ? got : undefined;
    });
    expect(mail!.mail.subject).toBe(`خلاصه روزانه ${day}: 2 تیکت باز`);
    expect(mail!.mail.headers.get('content-language')).toBe('fa');
    const lines = mail!.mail.text!.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'تیکت‌های باز: 2',
      `#${t.router!.number} [urgent] Router down — SLA نقض شده (اولین پاسخ)`,
      `#${t.printer!.number} [normal] Printer jam — مهلت SLA ${dueText} (اولین پاسخ)`,
    ]);
    expect(mail!.mail.text).not.toContain('Old cable fault');
    expect(lines.at(-1)).toMatch(/^روز گذشته: \d+ باز شد، \d+ حل شد\.$/);
    // Nobody else's 07:00 yet: Paris shows 04:40, New York the evening before.
    expect(digestsTo('pierre@branchwatch.test', [day, next])).toHaveLength(0);
    expect(digestsTo('john@branchwatch.test', [day, next])).toHaveLength(0);
  });

  it('does not send it again later in the hour, nor after a hub restart', async () => {
    expect(await processA.runAt(new Date(aliAt.getTime() + 40 * 60_000))).toBe(0);
    await hub.stop();
    hub = await startTheHub();
    const afterRestart = digestJob();
    expect(await afterRestart.runAt(new Date(aliAt.getTime() + 45 * 60_000))).toBe(0);
    processA = afterRestart;
    const rows = await db('notify_outbox')
      .where({ event_type: 'digest.daily', user_id: ids.ali })
      .andWhereLike('dedupe_key', `%:${day}:%`)
      .select('status', 'dedupe_key');
    expect(rows).toEqual([
      { status: 'sent', dedupe_key: `digest:user:${ids.ali}:${day}:email:ali@branchwatch.test` },
    ]);
    expect(digestsTo('ali@branchwatch.test', [day])).toHaveLength(1);
  });

  it('mails each other user at their own 07:00: Paris in French, New York in English', async () => {
    const parisAt = wallClock(day, '07:05', 'Europe/Paris');
    expect(await processA.runAt(parisAt)).toBe(1);
    const [fr] = await waitFor('the French digest', async () => {
      const got = digestsTo('pierre@branchwatch.test', [day]);
      return got.length ? got : undefined;
    });
    expect(fr!.mail.subject).toBe(`Résumé quotidien du ${day} : 1 tickets ouverts`);
    expect(fr!.mail.text!.trim().split('\n').slice(0, 2)).toEqual([
      'Tickets ouverts : 1',
      `#${t.vpn!.number} [low] VPN flaps at night — sans SLA`,
    ]);

    const newYorkAt = wallClock(day, '07:00', 'America/New_York');
    expect(await processB.runAt(newYorkAt)).toBe(1);
    const [en] = await waitFor('the English digest', async () => {
      const got = digestsTo('john@branchwatch.test', [day]);
      return got.length ? got : undefined;
    });
    expect(en!.mail.subject).toBe(`Daily digest ${day}: 0 open tickets`);
    expect(en!.mail.text!.trim().split('\n')[0]).toBe('Open tickets: 0');
    expect(en!.mail.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it("mails a tenant's subscribed list at the hour UTC, every open ticket of the tenant", async () => {
    expect(await processA.runAt(new Date(`${day}T07:20:00Z`))).toBe(1);
    const list = await waitFor(
      'the list digest',
      async () => digestsTo('noc-list@branchwatch.test', [day])[0],
    );
    expect(list.mail.subject).toBe(`Daily digest ${day}: 3 open tickets`);
    expect(list.mail.text!.trim().split('\n').slice(0, 4)).toEqual([
      'Open tickets: 3',
      `#${t.router!.number} [urgent] Router down — SLA breached (first response)`,
      `#${t.printer!.number} [normal] Printer jam — SLA due ${wallText(deadline, 'UTC')} (first response)`,
      `#${t.vpn!.number} [low] VPN flaps at night — no SLA`,
    ]);
    // Nobody's own 07:00 at 07:20 UTC.
    expect(digestsTo('ali@branchwatch.test', [day])).toHaveLength(1);
  });

  it('sends the next one the next day, and never to users who did not ask', async () => {
    expect(await processA.runAt(new Date(aliAt.getTime() + 86_400_000))).toBe(1);
    const second = await waitFor(
      'the next day digest',
      async () => digestsTo('ali@branchwatch.test', [next])[0],
    );
    expect(second.mail.subject).toBe(`خلاصه روزانه ${next}: 2 تیکت باز`);
    expect(digestsTo('ali@branchwatch.test', [day, next])).toHaveLength(2);
    expect(digestsTo('pierre@branchwatch.test', [day, next])).toHaveLength(1);
    expect(digestsTo('john@branchwatch.test', [day, next])).toHaveLength(1);
    expect(digestsTo('noc-list@branchwatch.test', [day, next])).toHaveLength(1);
    const digestSubjects = /خلاصه روزانه|Résumé quotidien|Daily digest/;
    expect(
      mails.filter(
        (m) =>
          m.to.includes('nodigest@branchwatch.test') && digestSubjects.test(m.mail.subject ?? ''),
      ),
    ).toEqual([]);
    // nodigest did get its ticket mails: the address works, the digest was simply not asked for.
    expect(mailsTo('nodigest@branchwatch.test').length).toBeGreaterThan(0);
  });
});

const mailsTo = (address: string) => mails.filter((m) => m.to.includes(address));
