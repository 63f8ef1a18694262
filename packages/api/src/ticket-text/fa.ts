import type { TicketTextMessages } from './messages.js';
import { TICKET_WORDS } from '../ticket-words.js';

const CATEGORY: Record<string, string> = {
  agent: 'آفلاین بودن عامل شعبه',
  wan: 'لینک WAN شعبه',
  icmp: 'یک بررسی پینگ',
  tcp: 'یک بررسی TCP',
  http: 'یک بررسی HTTP',
  dns: 'یک بررسی DNS',
  snmp: 'یک بررسی SNMP',
  sip: 'یک بررسی SIP',
  voice: 'یک بررسی کیفیت صدا',
  onvif: 'یک بررسی دوربین',
};

const CRITICALITY = { low: 'کم', normal: 'عادی', high: 'زیاد', critical: 'حیاتی' };

export const fa: TicketTextMessages = {
  // Persian digits and the Jalali (Solar Hijri) calendar.
  locale: 'fa-IR-u-ca-persian',
  units: { d: 'روز', h: 'ساعت', min: 'دقیقه', s: 'ثانیه', ms: 'میلی‌ثانیه', days: 'روز' },
  comma: '، ',
  priority: TICKET_WORDS.fa.priority,
  fields: {
    sent: 'ارسال‌شده',
    received: 'دریافت‌شده',
    loss: 'اتلاف بسته',
    min: 'کمینهٔ RTT',
    median: 'میانهٔ RTT',
    p95: 'صدک ۹۵ RTT',
    max: 'بیشینهٔ RTT',
    jitter: 'جیتر',
    connect: 'زمان اتصال',
    total: 'زمان کل',
    firstByte: 'زمان تا نخستین بایت',
    status: 'وضعیت HTTP',
    mos: 'MOS',
    delay: 'تأخیر',
    driftSeconds: 'انحراف ساعت',
    certDaysLeft: 'روزهای باقی‌ماندهٔ گواهی',
    resolveMs: 'زمان تحلیل نام',
    responseMs: 'زمان پاسخ',
    latency: 'زمان پاسخ SIP',
    rttMean: 'میانگین RTT',
  },

  checkSubject: (c) => `${c.what} در ${c.branch} قطع است`,
  breakGlassSubject: 'یک حساب اضطراری با گذرواژه وارد شد',
  ssoCertificateSubject: (provider, expired) =>
    expired
      ? `گواهی امضای ${provider} منقضی شده است`
      : `گواهی امضای ${provider} به‌زودی تمام می‌شود`,
  jobSubject: (job) => `کار ${job} هاب پیاپی ناموفق است`,
  agentSubject: (agent, branch) => `عامل ${agent} در ${branch} آفلاین است: شعبه در دسترس نیست`,
  branchAgentSubject: (branch) => `${branch} در دسترس نیست: عامل آن آفلاین است`,

  failingSince: (since, reason) => ['ناموفق از ', since, ': ', reason, '.'],
  failingAgain: (since, reason) => ['دوباره ناموفق از ', since, ': ', reason, '.'],
  noReason: 'بدون دلیل مشخص',
  what: (c) => [
    'چه: بررسی ',
    c.type,
    ' ',
    c.key,
    ' روی ',
    c.target,
    c.wan ? '، لینک WAN شعبه.' : '.',
  ],
  where: (c) => ['کجا: شعبه ', c.branch, '، عامل ', c.agent, '.'],
  lastMeasured: (list) => ['آخرین اندازه‌گیری‌ها: ', ...list, '.'],
  chart: 'نمودار قطعی',
  link: (label, url) => `${label}: ${url}`,
  agentLost: (agent) => ['چه: عامل ', agent, ' ارتباط خود با هاب را از دست داد.'],
  agentWhere: (branch) => ['کجا: شعبه ', branch, '.'],
  agentSince: (since) => ['از: ', since, '.'],
  agentAgain: (since) => ['عامل دوباره در ', since, ' آفلاین شد.'],
  agentAttached:
    'تا وقتی عامل در دسترس نیست، شعبه اندازه‌گیری نمی‌شود؛ هشدارهای بررسی‌های آن به همین ' +
    'تیکت افزوده می‌شوند.',
  priorityLine: (priority, score, factors) => [`اولویت ${priority}، ${score} امتیاز: ${factors}.`],
  priorityChanged: (priority, score, factors) => [
    `هاب اولویت را ${priority} کرد، ${score} امتیاز: ${factors}.`,
  ],
  factor: (words, points) => `${words} (${points})`,
  category: (c) => CATEGORY[c] ?? `یک بررسی ${c}`,
  criticality: (c) => `شعبه‌ای با اهمیت ${CRITICALITY[c]}`,
  repeats: (count, n) =>
    count === 0 ? 'بار نخست' : count === 1 ? 'یک بار بازگشایی شده' : `${n} بار بازگشایی شده`,
  children: (count, n) =>
    count === 0
      ? 'چیز دیگری متأثر نشده'
      : count === 1
        ? 'یک بررسی دیگر پشت آن ناموفق است'
        : `${n} بررسی دیگر پشت آن ناموفق‌اند`,

  recovered: (at, downtime) => ['در ', at, ` پس از ${downtime} قطعی بازیابی شد.`],
  recoveredSince: (since) => ['از ', since, ' ناموفق بود.'],
  worst: (list) => ['بدترین مقدار در طول قطعی: ', ...list, '.'],
  chartOfOutage: 'نمودار قطعی',
  branchUnreachable: (from, to, duration, agent) => [
    'شعبه از ',
    from,
    ' تا ',
    to,
    ` (${duration}) در دسترس نبود: عامل `,
    agent,
    ' دوباره آنلاین است.',
  ],
  flapping: (_count, changes, window, quiet) => [
    `ناپایدار: ${changes} تغییر وضعیت در ${window}. تا وقتی بررسی ${quiet} آرام نماند، ` +
      'تیکت تازه‌ای باز نمی‌شود و حل خودکار انجام نمی‌شود.',
  ],
  calm: (at) => ['دیگر ناپایدار نیست (آرام از ', at, ').'],
  alsoFailing: (c, since, reason) => [
    'پشت این رخداد این هم ناموفق است: ',
    c.key,
    ' (',
    c.type,
    ' ',
    c.target,
    ') از ',
    since,
    ': ',
    reason,
    '. تا وقتی این تیکت باز است، تیکت جداگانه‌ای ندارد.',
  ],
  expired: (check, last, allowed) => [
    'هشدار منقضی شد: ',
    ...(last ? ['از ', last, ' '] : []),
    'نتیجه‌ای از ',
    check,
    ` نرسیده است (${allowed} مجاز)، پس بازیابی آن دیده نمی‌شود. با بازگشت نتایج، بررسی از ` +
      'نو آغاز می‌شود.',
  ],
  autoResolved: (why) => [
    `به‌طور خودکار حل شد: ${
      why === 'check_recovered'
        ? 'بررسی بازیابی شد'
        : why === 'agent_back'
          ? 'عامل دوباره آنلاین است'
          : why === 'job_recovered'
            ? 'کار دوباره موفق شد'
            : why === 'certificate_replaced'
              ? 'گواهی تعویض شد'
              : why === 'finding_cleared'
                ? 'سرویس هویت دیگر آن را نشان نداد'
                : 'هشدار منقضی شد'
    } و کسی روی تیکت کار نکرده بود.`,
  ],
  staleMissed: (check, ago) => [
    'بدون داده: ',
    check,
    ago === null
      ? ' دو دور پیاپی را از دست داده است.'
      : ` دو دور پیاپی را از دست داده است؛ آخرین نتیجه‌اش ${ago} پیش رسید.`,
  ],
  staleAgent: (agent, online) =>
    online
      ? [
          'عامل ',
          agent,
          ' متصل است اما این بررسی را گزارش نمی‌کند (شاید از پیکربندی‌اش برداشته شده باشد).',
        ]
      : ['عامل ', agent, ' به هاب متصل نیست.'],
  staleUnknown: (since) => [
    'نمی‌توان دید که بررسی هنوز ناموفق است یا نه: تیکت باز می‌ماند و تا بازگشت نتایج نه ' +
      'ناموفق شمرده می‌شود و نه حل (بدون داده از ',
    since,
    ').',
  ],
  dataBack: (gap, stillFailing) => [
    `داده پس از ${gap} بی‌نتیجه بازگشت: ${
      stillFailing
        ? 'هنوز ناموفق است.'
        : 'دوباره گزارش می‌دهد؛ تیکت از این پس وضعیت آن را دنبال می‌کند.'
    }`,
  ],
  jobFailing: (job, failures, since) => [
    'کار هاب ',
    job,
    ` ${failures} بار پیاپی ناموفق بود (از `,
    since,
    ').',
  ],
  jobTarget: (target, timescaledb) => [
    timescaledb ? 'کار پس‌زمینهٔ TimescaleDB روی ' : 'روی ',
    target,
    timescaledb ? '.' : ' کار می‌کند.',
  ],
  jobError: (error) => ['آخرین خطا: ', error, '.'],
  jobWhat:
    'تا وقتی ناموفق است، نمودارها، نگهداری داده یا اعلان‌ها عقب می‌مانند. صفحهٔ سلامت هاب ' +
    'همهٔ کارها را نشان می‌دهد؛ این تیکت وقتی کار دوباره موفق شود خودش حل می‌شود.',
  jobRecovered: (job, at) => ['کار ', job, ' در ', at, ' دوباره موفق شد.'],
  breakGlassUsed: (user, at, ip) =>
    ip === null
      ? ['حساب اضطراری ', user, ' در ', at, ' با گذرواژه‌اش وارد شد.']
      : ['حساب اضطراری ', user, ' در ', at, ' از ', ip, ' با گذرواژه‌اش وارد شد.'],
  breakGlassWhat:
    'این سازمان از راه ارائه‌دهندهٔ خود وارد می‌شود؛ بررسی کنید که این ورود انتظار می‌رفت (مدیریت ← امنیت ورود).',
  ssoCertificate: (provider, notAfter, expired) =>
    expired
      ? ['گواهی امضای سرویس ورود ', provider, ' در ', notAfter, ' تمام شد.']
      : ['گواهی امضای سرویس ورود ', provider, ' در ', notAfter, ' تمام می‌شود.'],
  ssoCertificateWhat:
    'گواهی تازه را از مدیر سرویس هویت بگیرید و در مدیریت ← سرویس‌های ورود کنار گواهی قبلی بچسبانید؛ پس از پایان آن، کسی از راه این سرویس نمی‌تواند وارد شود. این تیکت با تعویض گواهی خودبه‌خود حل می‌شود.',
  ssoCertificateReplaced: (provider, at) => [
    'گواهی امضای ',
    provider,
    ' تعویض شد (دیده‌شده در ',
    at,
    ').',
  ],
  ssoFindingSubject: (finding, provider) =>
    finding === 'sha1'
      ? `سرویس ورود ${provider} با SHA-1 امضا می‌کند`
      : `ساعت سرویس ورود ${provider} درست نیست`,
  ssoSha1: (provider, at, accepted) => [
    'سرویس ورود ',
    provider,
    ' در ',
    at,
    accepted
      ? ' پاسخی با امضای SHA-1 فرستاد و، چون تنظیمش اجازه می‌دهد، پذیرفته شد.'
      : ' پاسخی با امضای SHA-1 فرستاد و پذیرفته نشد.',
  ],
  ssoSha1What:
    'امضای SHA-1 جعل‌شدنی است. از مدیر سرویس هویت بخواهید با SHA-256 امضا کند، سپس «پذیرش امضاهای SHA-1» را در مدیریت ← سرویس‌های ورود خاموش کنید. این تیکت پس از یک روز بدون پاسخ SHA-1، یا با تغییر آن تنظیم، خودبه‌خود حل می‌شود.',
  ssoClockSkew: (provider, at, by, ahead) => [
    'در ',
    at,
    ' ساعت سرویس ورود ',
    provider,
    ahead ? ' ' + by + ' از ساعت هاب جلوتر بود.' : ' ' + by + ' از ساعت هاب عقب‌تر بود.',
  ],
  ssoClockSkewWhat:
    'وقتی اختلاف ساعت‌ها از حدِ پاسخ‌ها بیشتر شود، ورود رد می‌شود. بررسی کنید که ساعت سرورهای سرویس هویت و هاب با NTP تنظیم شود. این تیکت پس از یک روز بدون چنین پاسخی خودبه‌خود حل می‌شود.',
  ssoFindingCleared: (provider, at, why) => [
    why === 'quiet' ? 'یک روز است که هیچ پاسخی از سرویس ورود ' : 'تنظیم SHA-1 سرویس ورود ',
    provider,
    why === 'quiet' ? ' این را نشان نداده است (دیده‌شده در ' : ' تغییر کرد (دیده‌شده در ',
    at,
    ').',
  ],
};
