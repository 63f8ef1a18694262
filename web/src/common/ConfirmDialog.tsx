import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n';
import { FormError } from './forms';

/**
 * Asks before something that cannot be undone (deleting a branch, a tenant). The action runs
 * on Confirm; a refusal stays in the dialog, said by `describe` when the page knows better
 * words for it than the hub's message (what still depends on the thing).
 */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  describe,
  testId,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  describe?: (error: unknown) => string | null;
  testId?: string;
}) {
  const { t } = useI18n();
  const phone = useMediaQuery('(max-width: 36em)');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      close();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const explained = error ? (describe?.(error) ?? null) : null;
  return (
    <Modal opened={opened} onClose={close} title={title} fullScreen={phone} data-testid={testId}>
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        {explained ? (
          <Text
            size="sm"
            c="red"
            role="alert"
            style={{ whiteSpace: 'pre-line' }}
            data-testid="confirm-refusal"
          >
            {explained}
          </Text>
        ) : (
          <FormError error={error} />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            {t('admin.cancel')}
          </Button>
          <Button
            color="red"
            loading={busy}
            disabled={explained !== null}
            onClick={() => void confirm()}
            data-testid="confirm-action"
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
