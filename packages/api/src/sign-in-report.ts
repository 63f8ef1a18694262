import type { Language } from './notify.js';

/**
 * The SSO security report's words (docs/sso.md "Security report"): why a sign-in was refused
 * and how people signed in, in the three languages, for the admin page and the CSV alike. The
 * hub stores the codes (`sign_in_events.reason`, `.method`); people read these.
 */
export const SIGN_IN_METHODS = ['password', 'oidc', 'saml', 'ldap'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export const SIGN_IN_FAILURE_REASONS = [
  'wrong_password',
  'wrong_second_factor',
  'provider_required',
  'invalid_credentials',
  'not_in_directory',
  'directory_unreachable',
  'disabled',
  'no_role',
  'username_taken',
  'not_provisioned',
  'invalid_answer',
] as const;
export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];

interface ReportWords {
  methods: Record<SignInMethod, string>;
  reasons: Record<SignInFailureReason, string>;
  /** A reason this version does not know (an older or newer hub's). */
  otherReason: string;
  /** A provider removed since. */
  removedProvider: string;
  csv: {
    providers: string;
    provider: string;
    method: string;
    signIns: string;
    failures: string;
    reasons: string;
    reason: string;
    count: string;
    neverSignedIn: string;
    username: string;
    name: string;
    role: string;
    created: string;
    breakGlass: string;
    at: string;
    address: string;
    period: string;
  };
}

const WORDS: Record<Language, ReportWords> = {
  en: {
    methods: {
      password: "The hub's own password",
      oidc: 'OpenID Connect',
      saml: 'SAML',
      ldap: 'LDAP / Active Directory',
    },
    reasons: {
      wrong_password: 'Wrong user name or password',
      wrong_second_factor: 'Wrong or reused two-factor code',
      provider_required: 'Password refused: the organisation signs in through its provider',
      invalid_credentials: 'The directory refused the password',
      not_in_directory: 'Not found in the directory',
      directory_unreachable: 'The directory did not answer',
      disabled: 'Account disabled',
      no_role: 'Their groups give no access',
      username_taken: 'A local account already has that name',
      not_provisioned: 'No account here, and the provider makes none',
      invalid_answer:
        "The provider's answer was refused (unsigned, SHA-1, expired, replayed or meant elsewhere)",
    },
    otherReason: 'Other reason',
    removedProvider: 'A provider removed since',
    csv: {
      providers: 'Sign-ins per provider',
      provider: 'Provider',
      method: 'Kind',
      signIns: 'Sign-ins',
      failures: 'Refused',
      reasons: 'Refused sign-ins by reason',
      reason: 'Reason',
      count: 'Count',
      neverSignedIn: 'Accounts never signed in',
      username: 'User name',
      name: 'Name',
      role: 'Role',
      created: 'Created',
      breakGlass: 'Break-glass sign-ins',
      at: 'When',
      address: 'Address',
      period: 'Period',
    },
  },
  fa: {
    methods: {
      password: 'گذرواژهٔ خود هاب',
      oidc: 'OpenID Connect',
      saml: 'SAML',
      ldap: 'LDAP / اکتیو دایرکتوری',
    },
    reasons: {
      wrong_password: 'نام کاربری یا گذرواژهٔ نادرست',
      wrong_second_factor: 'کد دومرحله‌ای نادرست یا تکراری',
      provider_required: 'گذرواژه پذیرفته نشد: سازمان از راه ارائه‌دهندهٔ خود وارد می‌شود',
      invalid_credentials: 'دایرکتوری گذرواژه را نپذیرفت',
      not_in_directory: 'در دایرکتوری پیدا نشد',
      directory_unreachable: 'دایرکتوری پاسخ نداد',
      disabled: 'حساب غیرفعال است',
      no_role: 'گروه‌هایش دسترسی‌ای نمی‌دهند',
      username_taken: 'یک حساب محلی همین نام را دارد',
      not_provisioned: 'اینجا حسابی ندارد و ارائه‌دهنده حساب نمی‌سازد',
      invalid_answer:
        'پاسخ ارائه‌دهنده پذیرفته نشد (بی‌امضا، SHA-1، منقضی، تکراری یا برای جای دیگر)',
    },
    otherReason: 'دلیل دیگر',
    removedProvider: 'ارائه‌دهنده‌ای که حذف شده است',
    csv: {
      providers: 'ورودها به تفکیک ارائه‌دهنده',
      provider: 'ارائه‌دهنده',
      method: 'نوع',
      signIns: 'ورود',
      failures: 'ردشده',
      reasons: 'ورودهای ردشده به تفکیک دلیل',
      reason: 'دلیل',
      count: 'تعداد',
      neverSignedIn: 'حساب‌هایی که هرگز وارد نشده‌اند',
      username: 'نام کاربری',
      name: 'نام',
      role: 'نقش',
      created: 'ساخته‌شده',
      breakGlass: 'ورودهای اضطراری',
      at: 'زمان',
      address: 'نشانی',
      period: 'بازه',
    },
  },
  fr: {
    methods: {
      password: 'Mot de passe du hub',
      oidc: 'OpenID Connect',
      saml: 'SAML',
      ldap: 'LDAP / Active Directory',
    },
    reasons: {
      wrong_password: 'Identifiant ou mot de passe incorrect',
      wrong_second_factor: 'Code à deux facteurs incorrect ou déjà utilisé',
      provider_required: "Mot de passe refusé : l'organisation se connecte par son fournisseur",
      invalid_credentials: "L'annuaire a refusé le mot de passe",
      not_in_directory: "Introuvable dans l'annuaire",
      directory_unreachable: "L'annuaire n'a pas répondu",
      disabled: 'Compte désactivé',
      no_role: 'Ses groupes ne donnent aucun accès',
      username_taken: 'Un compte local porte déjà ce nom',
      not_provisioned: "Aucun compte ici, et le fournisseur n'en crée pas",
      invalid_answer:
        'La réponse du fournisseur a été refusée (non signée, SHA-1, expirée, rejouée ou destinée ailleurs)',
    },
    otherReason: 'Autre raison',
    removedProvider: 'Un fournisseur supprimé depuis',
    csv: {
      providers: 'Connexions par fournisseur',
      provider: 'Fournisseur',
      method: 'Type',
      signIns: 'Connexions',
      failures: 'Refusées',
      reasons: 'Connexions refusées par raison',
      reason: 'Raison',
      count: 'Nombre',
      neverSignedIn: 'Comptes jamais connectés',
      username: "Nom d'utilisateur",
      name: 'Nom',
      role: 'Rôle',
      created: 'Créé le',
      breakGlass: 'Connexions de secours',
      at: 'Quand',
      address: 'Adresse',
      period: 'Période',
    },
  },
};

export function signInReportWords(language: Language): ReportWords {
  return WORDS[language] ?? WORDS.en;
}

/** A refusal's reason in words; a code this version does not know reads "Other reason". */
export function signInReasonWords(reason: string, language: Language): string {
  const w = signInReportWords(language);
  return (w.reasons as Record<string, string>)[reason] ?? w.otherReason;
}

export function signInMethodWords(method: string, language: Language): string {
  const w = signInReportWords(language);
  return (w.methods as Record<string, string>)[method] ?? method;
}
