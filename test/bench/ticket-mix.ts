/**
 * The ticket mix both ticket benchmarks seed (`bench:tickets` and `bench:web`'s queue), as SQL
 * over a row with `g` (the series number) and the random columns `r_state` and `r_prio`:
 * 55 % closed, 33 % resolved, 12 % active; priority 5 % urgent, 20 % high, 60 % normal, 15 %
 * low; a third opened by alerts; subjects drawn from English and Persian words.
 */

// Subject words: English and Persian, as the hub's two text-search configs expect.
export const TICKET_WORDS = [
  'printer',
  'offline',
  'router',
  'link',
  'down',
  'slow',
  'camera',
  'phone',
  'sip',
  'register',
  'packet',
  'loss',
  'latency',
  'vpn',
  'tunnel',
  'password',
  'reset',
  'email',
  'outlook',
  'disk',
  'full',
  'backup',
  'failed',
  'switch',
  'port',
  'flapping',
  'dns',
  'timeout',
  'certificate',
  'expired',
  'ups',
  'battery',
  'power',
  'outage',
  'wifi',
  'access',
  'point',
  'license',
  'pos',
  'terminal',
  'چاپگر',
  'قطع',
  'اینترنت',
  'کند',
  'دوربین',
  'تلفن',
  'شبکه',
  'سرور',
  'رمز',
  'خرابی',
];

/** The words as an SQL array literal. */
export const TICKET_WORDS_SQL = `ARRAY[${TICKET_WORDS.map((w) => `'${w}'`).join(',')}]`;

export const TICKET_STATE_SQL = `
  CASE WHEN r_state < 0.55 THEN 'closed' WHEN r_state < 0.88 THEN 'resolved'
       WHEN r_state < 0.93 THEN 'open' WHEN r_state < 0.96 THEN 'in_progress'
       WHEN r_state < 0.975 THEN 'waiting' WHEN r_state < 0.99 THEN 'answered'
       ELSE 'on_hold' END`;

export const TICKET_PRIORITY_SQL = `
  CASE WHEN r_prio < 0.05 THEN 'urgent' WHEN r_prio < 0.25 THEN 'high'
       WHEN r_prio < 0.85 THEN 'normal' ELSE 'low' END`;

export const TICKET_SOURCE_SQL = `CASE WHEN g % 3 = 0 THEN 'alert' ELSE 'person' END`;

export const TICKET_CATEGORY_SQL = `(ARRAY['network','hardware','software','access','power',NULL])[1 + g % 6]`;
