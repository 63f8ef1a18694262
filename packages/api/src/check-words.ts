import type { Language } from './notify.js';

/**
 * What a check watches, in words the people of a branch use ("Internet link", "Telephone
 * system") instead of its code name or probe type: the known incident's title in the
 * requester portal, an alert ticket's subject and the portal's monitoring page read them.
 *
 * The words come from what the hub knows without asking anyone: the check's WAN role, then
 * words in its name that admins use for such things ("wan", "pbx", "camera"), then the
 * well-known port of a TCP target (IANA service names), then the probe type.
 */
export type CheckPurpose =
  | 'wan'
  | 'network'
  | 'telephones'
  | 'callQuality'
  | 'cameras'
  | 'website'
  | 'mail'
  | 'remoteAccess'
  | 'database'
  | 'fileSharing'
  | 'printer'
  | 'nameLookup'
  | 'networkDevice'
  | 'service';

export interface CheckOfPurpose {
  type: string;
  target: string;
  /** The check's code name, e.g. `pbx-sip`. */
  key?: string;
  /** Marked as the branch's WAN link (role `wan`). */
  wan?: boolean;
}

// Words in a check's name, each a whole part of it (`pbx-sip`, `wan_1`, `cam2`).
const NAME_HINTS: readonly [RegExp, CheckPurpose][] = [
  [/(^|[-_])(wan|isp|uplink|internet)\d*($|[-_])/, 'wan'],
  [/(^|[-_])(pbx|sip|voip|phones?|telephones?)\d*($|[-_])/, 'telephones'],
  [/(^|[-_])(cams?|cameras?|nvr|cctv)\d*($|[-_])/, 'cameras'],
  [/(^|[-_])(printers?|print)\d*($|[-_])/, 'printer'],
  [/(^|[-_])(mail|smtp|imap|exchange)\d*($|[-_])/, 'mail'],
  [/(^|[-_])(web|www|site|intranet|portal)\d*($|[-_])/, 'website'],
  [/(^|[-_])(db|database|sql|postgres|mysql)\d*($|[-_])/, 'database'],
  [/(^|[-_])(files?|nas|smb|share)\d*($|[-_])/, 'fileSharing'],
  [/(^|[-_])(dns)\d*($|[-_])/, 'nameLookup'],
];

// IANA's well-known and registered ports of the services branches run.
const PORTS: Readonly<Record<number, CheckPurpose>> = {
  22: 'remoteAccess',
  3389: 'remoteAccess',
  5900: 'remoteAccess',
  25: 'mail',
  110: 'mail',
  143: 'mail',
  465: 'mail',
  587: 'mail',
  993: 'mail',
  995: 'mail',
  53: 'nameLookup',
  80: 'website',
  443: 'website',
  8080: 'website',
  8443: 'website',
  139: 'fileSharing',
  445: 'fileSharing',
  515: 'printer',
  631: 'printer',
  9100: 'printer',
  554: 'cameras',
  5060: 'telephones',
  5061: 'telephones',
  1433: 'database',
  1521: 'database',
  3306: 'database',
  5432: 'database',
};

const TYPES: Readonly<Record<string, CheckPurpose>> = {
  icmp: 'network',
  http: 'website',
  dns: 'nameLookup',
  snmp: 'networkDevice',
  sip: 'telephones',
  voice: 'callQuality',
  onvif: 'cameras',
};

/** The port of a `host:port` or `[v6]:port` target, if it has one. */
function portOf(target: string): number | null {
  const match = /:(\d{1,5})$/.exec(target);
  return match ? Number(match[1]) : null;
}

export function checkPurpose(check: CheckOfPurpose): CheckPurpose {
  if (check.wan) return 'wan';
  const name = (check.key ?? '').toLowerCase();
  for (const [pattern, purpose] of NAME_HINTS) if (pattern.test(name)) return purpose;
  if (check.type === 'tcp') {
    const port = portOf(check.target);
    if (port !== null && PORTS[port]) return PORTS[port];
  }
  return TYPES[check.type] ?? 'service';
}

const WORDS: Record<Language, Record<CheckPurpose, string>> = {
  en: {
    wan: 'Internet link',
    network: 'Network connection',
    telephones: 'Telephone system',
    callQuality: 'Call quality',
    cameras: 'Cameras',
    website: 'Website or application',
    mail: 'Email',
    remoteAccess: 'Remote access',
    database: 'Database',
    fileSharing: 'Shared files',
    printer: 'Printer',
    nameLookup: 'Name lookup',
    networkDevice: 'Network device',
    service: 'Business application',
  },
  fa: {
    wan: 'لینک اینترنت',
    network: 'اتصال شبکه',
    telephones: 'سامانهٔ تلفن',
    callQuality: 'کیفیت تماس',
    cameras: 'دوربین‌ها',
    website: 'وب‌سایت یا برنامه',
    mail: 'ایمیل',
    remoteAccess: 'دسترسی از راه دور',
    database: 'پایگاه داده',
    fileSharing: 'پرونده‌های مشترک',
    printer: 'چاپگر',
    nameLookup: 'یافتن نام‌ها (DNS)',
    networkDevice: 'دستگاه شبکه',
    service: 'برنامهٔ کاری',
  },
  fr: {
    wan: 'Lien internet',
    network: 'Connexion réseau',
    telephones: 'Téléphonie',
    callQuality: 'Qualité des appels',
    cameras: 'Caméras',
    website: 'Site web ou application',
    mail: 'Messagerie',
    remoteAccess: 'Accès à distance',
    database: 'Base de données',
    fileSharing: 'Fichiers partagés',
    printer: 'Imprimante',
    nameLookup: 'Résolution de noms (DNS)',
    networkDevice: 'Équipement réseau',
    service: 'Application métier',
  },
};

/** What a check watches, in `language`: "Internet link", "سامانهٔ تلفن", "Caméras". */
export function checkPurposeWords(check: CheckOfPurpose, language: Language): string {
  return (WORDS[language] ?? WORDS.en)[checkPurpose(check)];
}
