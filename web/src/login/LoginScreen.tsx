import {
  Alert,
  Anchor,
  Button,
  Center,
  Divider,
  Group,
  Image,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import type { SsoOption } from '../api/client';
import type { User } from '../api/types';
import { describeError } from '../common/describeError';
import { LANGUAGES, setLanguage, useI18n, type Language } from '../i18n';

interface LoginScreenProps {
  onSignedIn: (user: User) => void;
  /** A problem found before the form was shown, e.g. the hub could not be reached. */
  initialProblem: unknown;
}

/** What the hub's sign-in through a provider said when it sent the browser back (`?sso=`). */
const SSO_PROBLEMS = ['failed', 'refused', 'no-role', 'unknown'] as const;
type SsoProblem = (typeof SSO_PROBLEMS)[number];

/** The second step a provider's sign-in left for the hub's own TOTP (`#mfa=` / `#enrol=`). */
type SecondStep = { kind: 'mfa' | 'enrol'; ticket: string } | null;

function readAddress(): { tenant: string | null; sso: SsoProblem | null; step: SecondStep } {
  const query = new URLSearchParams(window.location.search);
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const sso = query.get('sso');
  const mfa = hash.get('mfa');
  const enrol = hash.get('enrol');
  return {
    tenant: query.get('tenant'),
    sso: SSO_PROBLEMS.includes(sso as SsoProblem) ? (sso as SsoProblem) : null,
    step: mfa ? { kind: 'mfa', ticket: mfa } : enrol ? { kind: 'enrol', ticket: enrol } : null,
  };
}

/**
 * Sign-in: the tenant's provider buttons (`/login?tenant=<slug>`), a work address routed to its
 * organisation's provider by its domain, or a username and password (local and break-glass
 * accounts, and directories that take the password here); then the hub's TOTP when the
 * provider's sign-in left it to the hub.
 */
export function LoginScreen({ onSignedIn, initialProblem }: LoginScreenProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t, language } = i18n;
  const [address] = useState(readAddress);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(() =>
    address.sso
      ? t(`login.sso.${address.sso}`)
      : initialProblem === null
        ? null
        : describeError(initialProblem, i18n),
  );
  const [submitting, setSubmitting] = useState(false);
  const [buttons, setButtons] = useState<SsoOption[]>([]);
  const [routed, setRouted] = useState<SsoOption | null>(null);
  const [step] = useState<SecondStep>(address.step);

  useEffect(() => {
    // The address has done its work: a reload must not show the message or the ticket again.
    if (window.location.search || window.location.hash) {
      const keep = address.tenant ? `?tenant=${encodeURIComponent(address.tenant)}` : '';
      window.history.replaceState(null, '', `${window.location.pathname}${keep}`);
    }
    if (!address.tenant) return;
    let stopped = false;
    api.ssoProviders(address.tenant).then(
      (items) => !stopped && setButtons(items),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [api, address]);

  // An address whose domain an organisation's provider signs in: that provider, not a password.
  const route = async (value: string): Promise<SsoOption | null> => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim())) return null;
    try {
      return await api.ssoDiscover(value.trim());
    } catch {
      return null;
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (routed) {
      window.location.assign(routed.loginUrl);
      return;
    }
    const provider = await route(username);
    if (provider) {
      setRouted(provider);
      return;
    }
    if (username.trim() === '' || password === '') {
      setProblem(t('login.required'));
      return;
    }
    setSubmitting(true);
    setProblem(null);
    try {
      onSignedIn(await api.login(username.trim(), password));
    } catch (error) {
      // The hub's own message ("wrong username or password"), not a generic one.
      setProblem(describeError(error, i18n));
      setSubmitting(false);
    }
  };

  const languages = (
    <NativeSelect
      size="xs"
      // Wide enough for the longest name of a language (Français), never cut.
      miw={96}
      style={{ flexShrink: 0 }}
      aria-label={t('language.label')}
      data-testid="login-language"
      value={language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
    />
  );

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Paper withBorder shadow="sm" radius="md" p="xl" w="100%" maw={380}>
        {step ? (
          <SecondFactor step={step} onSignedIn={onSignedIn} languages={languages} />
        ) : (
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Stack gap="md">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <div>
                  <Title order={2} size="h3">
                    {t('login.title')}
                  </Title>
                  <Text c="dimmed" size="sm">
                    {t('login.subtitle')}
                  </Text>
                </div>
                {languages}
              </Group>
              {problem !== null && (
                <Alert color="red" variant="light" title={t('login.failed')} role="alert">
                  {problem}
                </Alert>
              )}
              {buttons.map((b) => (
                <Button
                  key={b.id}
                  component="a"
                  href={b.loginUrl}
                  variant="default"
                  fullWidth
                  data-testid="login-provider"
                >
                  {t('login.sso.with', { name: b.name })}
                </Button>
              ))}
              {buttons.length > 0 && <Divider label={t('login.sso.or')} labelPosition="center" />}
              <TextInput
                label={t('login.username')}
                description={t('login.usernameHint')}
                autoComplete="username"
                autoFocus
                value={username}
                onChange={(event) => {
                  setUsername(event.currentTarget.value);
                  setRouted(null);
                }}
                onBlur={() => void route(username).then(setRouted)}
                data-testid="login-username"
              />
              {routed ? (
                <>
                  <Text size="sm" data-testid="login-routed">
                    {t('login.sso.routed', { name: routed.name })}
                  </Text>
                  <Button component="a" href={routed.loginUrl} fullWidth>
                    {t('login.sso.continue', { name: routed.name })}
                  </Button>
                </>
              ) : (
                <>
                  <PasswordInput
                    label={t('login.password')}
                    autoComplete="current-password"
                    value={password}
                    onChange={(event) => setPassword(event.currentTarget.value)}
                    data-testid="login-password"
                  />
                  <Button type="submit" loading={submitting} fullWidth data-testid="login-submit">
                    {t('login.submit')}
                  </Button>
                </>
              )}
            </Stack>
          </form>
        )}
      </Paper>
    </Center>
  );
}

/** The hub's TOTP after a provider's sign-in: a code, or enrolment first. */
function SecondFactor({
  step,
  onSignedIn,
  languages,
}: {
  step: NonNullable<SecondStep>;
  onSignedIn: (user: User) => void;
  languages: React.ReactNode;
}) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<{ secret: string; qrCode: string } | null>(null);
  const [recovery, setRecovery] = useState<{ user: User; codes: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (step.kind !== 'enrol') return;
    api
      .loginEnrol(step.ticket)
      .then(setEnrolment, (error: unknown) => setProblem(describeError(error, i18n)));
  }, [api, step, i18n]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (code.trim() === '') {
      setProblem(t('login.mfa.required'));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      if (step.kind === 'mfa') onSignedIn(await api.loginMfa(step.ticket, code.trim()));
      else {
        const done = await api.loginEnrolConfirm(step.ticket, code.trim());
        setRecovery({ user: done.user, codes: done.recoveryCodes });
      }
    } catch (error) {
      setProblem(describeError(error, i18n));
    }
    setBusy(false);
  };

  if (recovery)
    return (
      <Stack gap="md">
        <Title order={2} size="h3">
          {t('login.mfa.recoveryTitle')}
        </Title>
        <Text size="sm">{t('login.mfa.recoveryHelp')}</Text>
        <Text ff="monospace" size="sm" dir="ltr" data-testid="login-recovery-codes">
          {recovery.codes.join('  ')}
        </Text>
        <Button onClick={() => onSignedIn(recovery.user)} fullWidth>
          {t('login.mfa.continue')}
        </Button>
      </Stack>
    );

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={2} size="h3">
            {t(step.kind === 'mfa' ? 'login.mfa.title' : 'login.mfa.enrolTitle')}
          </Title>
          {languages}
        </Group>
        <Text size="sm">{t(step.kind === 'mfa' ? 'login.mfa.help' : 'login.mfa.enrolHelp')}</Text>
        {problem !== null && (
          <Alert color="red" variant="light" title={t('login.failed')} role="alert">
            {problem}
          </Alert>
        )}
        {enrolment && (
          <>
            <Image src={enrolment.qrCode} alt={t('login.mfa.qr')} w={180} h={180} mx="auto" />
            <Text ff="monospace" size="xs" ta="center" dir="ltr" style={{ wordBreak: 'break-all' }}>
              {enrolment.secret}
            </Text>
          </>
        )}
        <TextInput
          label={t('login.mfa.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          dir="ltr"
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          data-testid="login-code"
        />
        <Button type="submit" loading={busy} fullWidth data-testid="login-code-submit">
          {t('login.mfa.submit')}
        </Button>
        <Anchor href="/login" size="sm" ta="center">
          {t('login.mfa.startAgain')}
        </Anchor>
      </Stack>
    </form>
  );
}
