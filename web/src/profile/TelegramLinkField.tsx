import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { TelegramLink } from '../api/notifyApi';
import { FormError, useFormAction } from '../common/forms';
import { useNotifyApi } from '../common/useLoad';
import { useI18n } from '../i18n';

interface Props {
  linked: boolean;
  /** After linking or unlinking: the Telegram account as the hub now has it. */
  onChange: (account: { telegramChatId: string | null; telegramUserId: string | null }) => void;
}

/**
 * The user's Telegram account, linked by proof (docs/security.md "Telegram linking"): the hub
 * gives a one-time code, the person sends `/link CODE` to the bot from their own account, and
 * the bot records that account. Nobody types an id.
 */
export function TelegramLinkField({ linked, onChange }: Props) {
  const { t } = useI18n();
  const api = useNotifyApi();
  const [link, setLink] = useState<TelegramLink | null>(null);
  const refresh = async () => {
    const p = await api.preferences();
    onChange({ telegramChatId: p.telegramChatId, telegramUserId: p.telegramUserId });
    return p.telegramChatId !== null;
  };
  const start = useFormAction(async () => setLink(await api.telegramLink()));
  const check = useFormAction(async () => {
    if (await refresh()) setLink(null);
  });
  const unlink = useFormAction(async () => {
    await api.unlinkTelegram();
    await refresh();
  });
  const error = start.error ?? check.error ?? unlink.error;
  return (
    <Stack gap={6} data-testid="telegram-link">
      <Text size="sm" fw={500}>
        {t('profile.telegram')}
      </Text>
      <Text size="sm" c="dimmed" data-testid="telegram-link-state" data-linked={linked}>
        {linked ? t('profile.telegramLinked') : t('profile.telegramNotLinked')}
      </Text>
      {link && !linked && (
        <>
          <Text size="sm">{t('profile.telegramSend')}</Text>
          <Code block dir="ltr" fz="lg" data-testid="telegram-link-command">
            {link.command}
          </Code>
        </>
      )}
      <FormError error={error} />
      <Group gap="xs">
        {linked ? (
          <Button
            variant="default"
            size="xs"
            loading={unlink.busy}
            onClick={() => unlink.submit()}
            data-testid="telegram-unlink"
          >
            {t('profile.telegramUnlink')}
          </Button>
        ) : (
          <>
            <Button
              variant="light"
              size="xs"
              loading={start.busy}
              onClick={() => start.submit()}
              data-testid="telegram-link-start"
            >
              {link ? t('profile.telegramNewCode') : t('profile.telegramLink')}
            </Button>
            {link && (
              <Button
                size="xs"
                loading={check.busy}
                onClick={() => check.submit()}
                data-testid="telegram-link-check"
              >
                {t('profile.telegramSent')}
              </Button>
            )}
          </>
        )}
      </Group>
    </Stack>
  );
}
