import {
  Badge,
  Button,
  Card,
  Group,
  Image,
  NativeSelect,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { toDataURL } from 'qrcode';
import { useCallback, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { FormError, LoadState, SectionHeader } from './common';
import { ROLES, type TotpSetup } from './identityApi';
import { isMissingRoute, useIdentityApi, useLoad } from './useLoad';

export function UsersAdmin() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const load = useCallback(() => api.users(), [api]);
  const users = useLoad(load);
  const roleLabel = (role: string) => t(`role.${role}` as MessageKey);
  return (
    <>
      <SectionHeader title={t('admin.users.title')} help={t('admin.users.help')} />
      <LoadState error={users.error} loading={users.data === null}>
        <NewUser onCreated={users.reload} />
        <Table verticalSpacing="xs" data-testid="user-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('login.username')}</Table.Th>
              <Table.Th>{t('admin.users.role')}</Table.Th>
              <Table.Th>{t('admin.users.twoFactor')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td dir="ltr">{u.username}</Table.Td>
                <Table.Td>{roleLabel(u.role)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={u.totpEnabled ? 'teal' : 'gray'}>
                    {u.totpEnabled ? t('admin.users.twoFactorOn') : t('admin.users.twoFactorOff')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
      <TwoFactor />
    </>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.createUser({ username, password, role });
      setUsername('');
      setPassword('');
      setError(null);
      onCreated();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('login.username')}
            dir="ltr"
            required
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('login.password')}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('admin.users.role')}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
            data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <Button type="submit">{t('admin.users.create')}</Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}

/** The signed-in user's second factor: a QR code for an authenticator app, then a code. */
function TwoFactor() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [setup, setSetup] = useState<(TotpSetup & { image: string }) | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    try {
      const answer = await api.startTotp();
      // The hub may send the QR ready-made; otherwise it is drawn here from the otpauth URL.
      const image = answer.qr ?? (await toDataURL(answer.otpauthUrl, { margin: 1, width: 200 }));
      setSetup({ ...answer, image });
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  };
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.confirmTotp(code);
      setDone(true);
      setError(null);
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <Card withBorder data-testid="two-factor">
      <Stack gap="xs">
        <Text fw={500}>{t('admin.users.twoFactorTitle')}</Text>
        <Text size="sm" c="dimmed">
          {t('admin.users.twoFactorHelp')}
        </Text>
        {isMissingRoute(error) ? (
          <Text size="sm" c="dimmed" data-testid="admin-missing-api">
            {t('admin.missingApiHelp')}
          </Text>
        ) : (
          <FormError error={error} />
        )}
        {done ? (
          <Text c="teal">{t('admin.users.twoFactorDone')}</Text>
        ) : setup ? (
          <Group align="flex-start" component="form" onSubmit={(e) => void confirm(e)}>
            <Image src={setup.image} w={200} h={200} alt={t('admin.users.qrAlt')} />
            <Stack gap="xs">
              {setup.secret && (
                <Text size="sm" dir="ltr" ff="monospace">
                  {setup.secret}
                </Text>
              )}
              <TextInput
                label={t('admin.users.code')}
                dir="ltr"
                inputMode="numeric"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
              />
              <Button type="submit">{t('admin.users.confirm')}</Button>
            </Stack>
          </Group>
        ) : (
          <Group>
            <Button variant="light" onClick={() => void start()}>
              {t('admin.users.twoFactorStart')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
