import { Alert, Button, Card, Code, CopyButton, Group, Loader, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import { isMissingRoute } from '../common/useLoad';

/** A section's title and the one sentence that says what it is for. */
export function SectionHeader({ title, help }: { title: string; help: string }) {
  return (
    <div>
      <Title order={2} size="h3">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {help}
      </Text>
    </div>
  );
}

/** A card's title and the sentence that says what it is for. */
export function CardHeader({ title, help }: { title: string; help: string }) {
  return (
    <div>
      <Title order={3} size="h4">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {help}
      </Text>
    </div>
  );
}

/** Loading, failed, or "this hub has no such API yet" for a list; else the list. */
export function LoadState({
  error,
  loading,
  children,
}: {
  error: unknown;
  loading: boolean;
  children: ReactNode;
}) {
  const i18n = useI18n();
  if (error && isMissingRoute(error)) {
    return (
      <Alert color="gray" data-testid="admin-missing-api" title={i18n.t('admin.missingApi')}>
        {i18n.t('admin.missingApiHelp')}
      </Alert>
    );
  }
  if (error) {
    return (
      <Alert color="red" data-testid="admin-error" title={i18n.t('admin.loadFailed')}>
        {describeError(error, i18n)}
      </Alert>
    );
  }
  if (loading) return <Loader size="sm" />;
  return <>{children}</>;
}

/** A command to paste on a branch server, with a copy button. Commands read left to right. */
export function CommandBlock({ command, testId }: { command: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Card withBorder padding="xs">
      <Group wrap="nowrap" align="flex-start" gap="xs">
        <Code
          block
          dir="ltr"
          style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
          data-testid={testId}
        >
          {command}
        </Code>
        <CopyButton value={command}>
          {({ copied, copy }) => (
            <Button
              size="compact-sm"
              variant="light"
              color={copied ? 'teal' : undefined}
              onClick={copy}
            >
              {copied ? t('admin.copied') : t('admin.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Card>
  );
}
