import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n';
import { useIdentityApi, useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { RelativeTime } from '../common/RelativeTime';
import { describeError } from '../common/describeError';
import { LoadState } from './common';

/**
 * A person's open sessions with a button to end each: the admin's tool when an account is
 * shared, a laptop lost, or an admin holds more sessions than the tenant allows.
 */
export function UserSessions({ userId }: { userId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useIdentityApi();
  const now = useNow(30_000);
  const load = useCallback(() => api.sessionsOf(userId), [api, userId]);
  const page = useLoad(load);
  const [error, setError] = useState<unknown>(null);
  const end = async (id: string) => {
    try {
      await api.endSession(id);
      setError(null);
      page.reload();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <Stack gap={4} data-testid="user-sessions">
      <Text fw={500} size="sm">
        {t('admin.sessions.title')}
      </Text>
      <LoadState error={page.error} loading={page.data === null}>
        {page.data?.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="user-sessions-none">
            {t('admin.sessions.none')}
          </Text>
        )}
        {page.data?.map((s) => (
          <Card key={s.id} withBorder padding="xs" data-testid="user-session">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <div style={{ minWidth: 0 }}>
                <Text size="sm">
                  {t('admin.sessions.since')} <RelativeTime at={s.createdAt} now={now} />
                  {' · '}
                  {t('admin.sessions.lastSeen')}{' '}
                  <RelativeTime at={s.lastSeenAt ?? s.createdAt} now={now} />
                </Text>
                <Text size="xs" c="dimmed" truncate dir="ltr" ta="start">
                  {[s.ip, browserOf(s.userAgent)].filter(Boolean).join(' · ') || t('common.none')}
                </Text>
              </div>
              <Button
                size="xs"
                variant="light"
                color="red"
                onClick={() => void end(s.id)}
                data-testid="user-session-end"
              >
                {t('admin.sessions.end')}
              </Button>
            </Group>
          </Card>
        ))}
      </LoadState>
      {error !== null && (
        <Text size="sm" c="red">
          {describeError(error, i18n)}
        </Text>
      )}
    </Stack>
  );
}

/** "Chrome 131 on Linux" rather than the whole User-Agent header. */
function browserOf(userAgent: string | null): string {
  if (!userAgent) return '';
  const browser = /(Firefox|Edg|Chrome|Safari)\/(\d+)/.exec(userAgent);
  const os = /(Windows|Android|iPhone|Mac OS X|Linux)/.exec(userAgent);
  const name = browser ? `${browser[1] === 'Edg' ? 'Edge' : browser[1]} ${browser[2]}` : '';
  return [name, os?.[1]].filter(Boolean).join(' / ') || userAgent.slice(0, 40);
}
