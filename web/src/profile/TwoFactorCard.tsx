import { Badge, Button, Card, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { toDataURL } from 'qrcode';
import { useCallback, useState } from 'react';
import type { TotpSetup } from '../api/identityApi';
import { ShownOnce } from '../common/ShownOnce';
import { isMissingRoute, useIdentityApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { useFormAction } from '../common/forms';
import { FormError } from '../common/forms';

/**
 * The signed-in user's second factor (two-factor.routes.ts): a QR code for an authenticator
 * app, a code to confirm it, then the recovery codes, shown this once.
 */
export function TwoFactorCard() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const load = useCallback(() => api.totpStatus(), [api]);
  const status = useLoad(load);
  const [setup, setSetup] = useState<(TotpSetup & { image: string }) | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const start = useFormAction(async () => {
    const answer = await api.startTotp();
    // The hub sends the QR ready-made; otherwise it is drawn here from the otpauth URL.
    const image = answer.qrCode || (await toDataURL(answer.uri, { margin: 1, width: 200 }));
    setSetup({ ...answer, image });
  });
  const confirm = useFormAction(async () => {
    setRecoveryCodes(await api.confirmTotp(code.trim()));
    setSetup(null);
  }, status.reload);
  const error = start.error ?? confirm.error ?? status.error;
  const enabled = status.data?.enabled === true;
  return (
    <Card withBorder data-testid="two-factor">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={500}>{t('admin.users.twoFactorTitle')}</Text>
          {status.data && (
            <Badge variant="light" color={enabled ? 'teal' : 'gray'} data-testid="two-factor-state">
              {enabled ? t('admin.users.twoFactorOn') : t('admin.users.twoFactorOff')}
            </Badge>
          )}
        </Group>
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
        {recoveryCodes && (
          <ShownOnce
            title={t('admin.users.recoveryCodes')}
            values={recoveryCodes}
            fileName="branchwatch-recovery-codes.txt"
            testId="recovery-codes"
          />
        )}
        {enabled && !recoveryCodes && (
          <Text size="sm" data-testid="recovery-codes-left">
            {t('admin.users.recoveryCodesLeft', { n: status.data?.recoveryCodesLeft ?? 0 })}
          </Text>
        )}
        {setup ? (
          <Group align="flex-start" component="form" onSubmit={confirm.submit}>
            <Image src={setup.image} w={200} h={200} alt={t('admin.users.qrAlt')} />
            <Stack gap="xs">
              {setup.secret && (
                <Text size="sm" dir="ltr" ff="monospace" data-testid="totp-secret">
                  {setup.secret}
                </Text>
              )}
              <TextInput
                label={t('admin.users.code')}
                dir="ltr"
                inputMode="numeric"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                data-testid="totp-code"
              />
              <Button type="submit" loading={confirm.busy} data-testid="totp-confirm">
                {t('admin.users.confirm')}
              </Button>
            </Stack>
          </Group>
        ) : (
          status.data &&
          !enabled && (
            <Group>
              <Button
                variant="light"
                loading={start.busy}
                onClick={() => start.submit()}
                data-testid="totp-start"
              >
                {t('admin.users.twoFactorStart')}
              </Button>
            </Group>
          )
        )}
      </Stack>
    </Card>
  );
}
