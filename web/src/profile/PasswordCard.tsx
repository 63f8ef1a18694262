import { Alert, Button, Card, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { describeError } from '../common/describeError';
import { useIdentityApi } from '../common/useLoad';
import { useFormAction } from '../common/forms';
import { useI18n } from '../i18n';

const MIN_LENGTH = 8;

/**
 * The signed-in user changes their own password (POST /api/v1/auth/password), proving the
 * current one; the hub then ends their other sessions and API tokens, this one stays.
 */
export function PasswordCard() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useIdentityApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [changed, setChanged] = useState(false);
  const [checked, setChecked] = useState(false);
  const tooShort = next.length < MIN_LENGTH;
  const mismatch = repeat !== next;
  const save = useFormAction(async () => {
    setChecked(true);
    setChanged(false);
    if (tooShort || mismatch || current === '') return;
    await api.changePassword(current, next);
    setChanged(true);
    setCurrent('');
    setNext('');
    setRepeat('');
    setChecked(false);
  });
  const error = save.error;
  const wrongCurrent = save.field === 'currentPassword';
  const waiting = error instanceof ApiError && error.code === 'BW_ERR_RATE_LIMITED';
  return (
    <Card withBorder data-testid="password-card">
      <Stack gap="xs" component="form" onSubmit={save.submit}>
        <Text fw={500}>{t('profile.password.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('profile.password.help')}
        </Text>
        <PasswordInput
          label={t('profile.password.current')}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={wrongCurrent ? t('profile.password.wrongCurrent') : undefined}
          data-testid="password-current"
        />
        <PasswordInput
          label={t('profile.password.new')}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={checked && tooShort ? t('profile.password.tooShort') : undefined}
          data-testid="password-new"
        />
        <PasswordInput
          label={t('profile.password.repeat')}
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={checked && !tooShort && mismatch ? t('profile.password.mismatch') : undefined}
          data-testid="password-repeat"
        />
        {error !== null && !wrongCurrent && (
          <Alert color="red" data-testid="password-error">
            {waiting ? t('profile.password.wait') : describeError(error, i18n)}
          </Alert>
        )}
        {changed && (
          <Alert color="teal" data-testid="password-changed">
            {t('profile.password.changed')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.busy} data-testid="password-save">
            {t('profile.password.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
