import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { AgentEventView } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import type { StatusLine } from './deviceStatus';

/** A card of status lines: SIP and cameras, or SNMP interfaces. */
export function StatusCard({
  title,
  lines,
  empty,
  testId,
}: {
  title: string;
  lines: StatusLine[];
  empty: string;
  testId: string;
}) {
  return (
    <Card data-testid={testId}>
      <Title order={3} size="h6" mb="xs">
        {title}
      </Title>
      {lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>
          {lines.map((line) => (
            <Group
              key={line.checkId}
              gap="xs"
              wrap="nowrap"
              align="start"
              data-testid="status-line"
              data-good={String(line.good)}
            >
              <Badge
                variant="dot"
                color={line.good === null ? 'gray' : line.good ? 'green' : 'red'}
                miw="max-content"
              >
                {line.title}
              </Badge>
              <div>
                <Text size="sm">{line.text}</Text>
                <Text size="xs" c="dimmed" ff="monospace" dir="ltr">
                  {line.target}
                </Text>
              </div>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** The latest events (SNMP traps) the branch's agents forwarded. */
export function EventsCard({ events, now }: { events: AgentEventView[]; now: number }) {
  const { t } = useI18n();
  return (
    <Card data-testid="branch-events">
      <Title order={3} size="h6" mb="xs">
        {t('branch.events')}
      </Title>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('branch.noEvents')}
        </Text>
      ) : (
        <Stack gap={6}>
          {events.map((event) => (
            <div key={event.id} data-testid="branch-event">
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Text size="sm" ff="monospace" dir="ltr" truncate>
                  {event.body.trapOid ?? event.kind}
                </Text>
                <RelativeTime at={event.at} now={now} size="xs" c="dimmed" />
              </Group>
              {event.body.source && (
                <Text size="xs" c="dimmed">
                  {t('branch.eventSource', { source: event.body.source })}
                </Text>
              )}
            </div>
          ))}
        </Stack>
      )}
    </Card>
  );
}
