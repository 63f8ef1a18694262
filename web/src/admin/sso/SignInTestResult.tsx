import { Alert, Modal, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback } from 'react';
import { describeError } from '../../common/describeError';
import { useIdentityApi, useLoad } from '../../common/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import type { Named } from '../crud';

/**
 * What a provider sent in an admin's test sign-in (OpenID Connect or SAML): the person, every
 * claim or attribute, the role and branches the rules would give, and whether MFA was proven.
 * The provider's answer came back to this page in the window the test opened; nobody was
 * signed in by it (docs/sso.md "Testing a provider").
 */
export function SignInTestResult({
  providerId,
  resultId,
  providerName,
  branches,
  onClose,
}: {
  providerId: string;
  resultId: string;
  providerName: string;
  branches: Named[];
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useIdentityApi();
  const phone = useMediaQuery('(max-width: 36em)');
  const load = useCallback(() => api.testResult(providerId, resultId), [api, providerId, resultId]);
  const { data, error } = useLoad(load);
  const branchName = (id: string) => branches.find((b) => b.id === id)?.name ?? '?';
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('admin.sso.signInTest.title', { name: providerName })}
      fullScreen={phone}
      size="xl"
      data-testid="sign-in-test-result"
    >
      <Stack gap="sm">
        {error !== null && <Alert color="red">{describeError(error, i18n)}</Alert>}
        {data && (
          <>
            <Text size="sm" c="dimmed">
              {t('admin.sso.signInTest.nobody')}
            </Text>
            <Alert color={data.mapped ? 'teal' : 'orange'} data-testid="sign-in-test-mapping">
              <Stack gap={4}>
                <Text size="sm">
                  {t('admin.sso.testPerson')}: <bdi dir="ltr">{data.subject}</bdi>
                  {data.email && data.email !== data.subject && (
                    <>
                      {' · '}
                      <bdi dir="ltr">{data.email}</bdi>
                    </>
                  )}
                </Text>
                <Text size="sm" fw={600}>
                  {data.mapped
                    ? t('admin.sso.testMapped', {
                        role: t(`role.${data.mapped.role}` as MessageKey),
                        branches: data.mapped.branchIds.length
                          ? data.mapped.branchIds.map(branchName).join(', ')
                          : t('admin.sso.rule.allBranches'),
                      })
                    : t('admin.sso.testNoAccess')}
                </Text>
                <Text size="sm">
                  {t(
                    !data.mfa.trusted
                      ? 'admin.sso.signInTest.mfaNotTrusted'
                      : data.mfa.proven
                        ? 'admin.sso.signInTest.mfaProven'
                        : 'admin.sso.signInTest.mfaMissing',
                  )}
                </Text>
              </Stack>
            </Alert>
            <Text size="sm" fw={500}>
              {t(
                data.kind === 'saml'
                  ? 'admin.sso.signInTest.attributes'
                  : 'admin.sso.signInTest.claims',
              )}
            </Text>
            <Table.ScrollContainer minWidth={0}>
              <Table withTableBorder data-testid="sign-in-test-claims">
                <Table.Tbody>
                  {data.claims.map((c) => (
                    <Table.Tr key={c.name}>
                      <Table.Td style={{ wordBreak: 'break-all', width: '40%' }}>
                        <bdi dir="ltr">{c.name}</bdi>
                      </Table.Td>
                      <Table.Td style={{ wordBreak: 'break-all' }}>
                        {c.values.map((v, i) => (
                          <div key={i}>
                            <bdi dir="ltr">{v}</bdi>
                          </div>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
      </Stack>
    </Modal>
  );
}
