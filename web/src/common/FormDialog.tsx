import { Button, Group, Modal, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { FormError, type FormAction } from './forms';

/**
 * An edit form in a dialog (full screen on a phone): its fields, the refusal, Cancel and Save.
 * The form's action decides what saving does; the caller closes the dialog after it.
 */
export function FormDialog({
  title,
  form,
  onClose,
  children,
  size,
  testId,
  saveTestId,
  saveLabel,
}: {
  title: string;
  form: FormAction;
  onClose: () => void;
  children: ReactNode;
  size?: string;
  testId?: string;
  saveTestId?: string;
  /** What the save button says, when "Save" is not the word (Create ticket). */
  saveLabel?: string;
}) {
  const { t } = useI18n();
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      fullScreen={phone}
      size={size}
      data-testid={testId}
    >
      <Stack component="form" gap="sm" onSubmit={form.submit}>
        {children}
        <FormError error={form.error} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button type="submit" loading={form.busy} data-testid={saveTestId}>
            {saveLabel ?? t('admin.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
