import { Alert, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { IdentityProvider, ProviderTest } from '../../api/identityApi';
import { FormDialog } from '../../common/FormDialog';
import { useFormAction } from '../../common/forms';
import { useIdentityApi } from '../../common/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import type { Named } from '../crud';

/** LDAP: a test person's sign-in, what the directory answered and what it would map to. */
export function ProviderTestDialog({
  provider,
  branches,
  onClose,
}: {
  provider: IdentityProvider;
  branches: Named[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const api = useIdentityApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState<ProviderTest | null>(null);
  const form = useFormAction(async () => {
    setAnswer(null);
    setAnswer(await api.testProvider(provider.id, username.trim(), password));
  });
  const branchName = (id: string) => branches.find((b) => b.id === id)?.name ?? '?';
  return (
    <FormDialog
      title={t('admin.sso.testTitle', { name: provider.name })}
      form={form}
      onClose={onClose}
      size="lg"
      saveLabel={t('admin.sso.testRun')}
      saveTestId="provider-test-run"
      testId="provider-test-dialog"
    >
      <Text size="sm" c="dimmed">
        {t('admin.sso.testHelp')}
      </Text>
      <TextInput
        label={t('login.username')}
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        dir="ltr"
        data-testid="provider-test-username"
      />
      <PasswordInput
        label={t('login.password')}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        data-testid="provider-test-password"
      />
      {answer && (
        <Alert
          color={answer.outcome === 'ok' ? (answer.mapped ? 'teal' : 'orange') : 'red'}
          data-testid="provider-test-answer"
        >
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t(`admin.sso.outcome.${answer.outcome}` as MessageKey)}
            </Text>
            {answer.person && (
              <>
                <Text size="sm">
                  {t('admin.sso.testPerson')}: <bdi>{answer.person.displayName ?? '—'}</bdi>
                  {answer.person.email && (
                    <>
                      {' · '}
                      <bdi dir="ltr">{answer.person.email}</bdi>
                    </>
                  )}
                </Text>
                <Text size="sm">
                  {t('admin.sso.testGroups')}:{' '}
                  {answer.person.groups.length ? (
                    <bdi>{answer.person.groups.join('، ')}</bdi>
                  ) : (
                    t('admin.sso.testNoGroups')
                  )}
                </Text>
                <Text size="sm" fw={600}>
                  {answer.mapped
                    ? t('admin.sso.testMapped', {
                        role: t(`role.${answer.mapped.role}` as MessageKey),
                        branches: answer.mapped.branchIds.length
                          ? answer.mapped.branchIds.map(branchName).join(', ')
                          : t('admin.sso.rule.allBranches'),
                      })
                    : t('admin.sso.testNoAccess')}
                </Text>
              </>
            )}
          </Stack>
        </Alert>
      )}
    </FormDialog>
  );
}
