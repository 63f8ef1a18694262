import { Alert, Button, Code, CopyButton, Group, Stack } from '@mantine/core';
import { useI18n } from '../i18n';

/**
 * Secrets the hub shows this once and keeps only as hashes (recovery codes, a webhook's
 * signing secret): shown with copy and download, and a warning that they will not be again.
 */
export function ShownOnce({
  title,
  values,
  fileName,
  testId,
}: {
  title: string;
  values: string[];
  fileName: string;
  testId: string;
}) {
  const { t } = useI18n();
  const text = `${values.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Alert color="yellow" title={title} data-testid={testId}>
      <Stack gap="xs">
        {t('admin.shownOnce')}
        {/* A long token wraps instead of widening the alert past a phone's screen. */}
        <Code
          block
          dir="ltr"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid={`${testId}-values`}
        >
          {values.join('\n')}
        </Code>
        <Group gap="xs">
          <CopyButton value={text}>
            {({ copied, copy }) => (
              <Button size="compact-sm" variant="light" onClick={copy}>
                {copied ? t('admin.copied') : t('admin.copy')}
              </Button>
            )}
          </CopyButton>
          <Button size="compact-sm" variant="light" onClick={download}>
            {t('admin.download')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
