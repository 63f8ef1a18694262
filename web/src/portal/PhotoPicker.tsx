import { ActionIcon, Button, Group, Stack, Text } from '@mantine/core';
import { useI18n } from '../i18n';
import { CameraIcon } from './icons';

/**
 * Photos from the phone's camera (`capture`: the camera opens directly, HTML Media Capture) or
 * files on a desktop; the picked ones listed with a way to drop each before sending.
 */
export function PhotoPicker({
  files,
  onChange,
  label,
}: {
  files: File[];
  onChange: (files: File[]) => void;
  label: string;
}) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        <Button component="label" variant="default" leftSection={<CameraIcon size={18} />}>
          {label}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            data-testid="photo-input"
            onChange={(event) => {
              const picked = Array.from(event.currentTarget.files ?? []);
              event.currentTarget.value = '';
              onChange([...files, ...picked]);
            }}
          />
        </Button>
      </Group>
      {files.map((file, i) => (
        <Group key={`${file.name}-${i}`} gap="xs" wrap="nowrap" data-testid="picked-photo">
          <Text
            size="sm"
            dir="auto"
            truncate
            style={{ minWidth: 0, flex: 1 }}
            data-testid="picked-photo-name"
          >
            {file.name}
          </Text>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t('portal.new.removePhoto', { name: file.name })}
            onClick={() => onChange(files.filter((_, j) => j !== i))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
    </Stack>
  );
}
