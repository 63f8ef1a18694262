import { Anchor, Button, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { InboxItem } from '../api/inboxApi';
import { navigate } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useNow } from '../common/useNow';
import { Sentence } from '../desk/Sentence';
import { formatTicketNumber } from '../format/numbers';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import type { InboxControls } from './useInbox';

const SENTENCES: Record<InboxItem['kind'], MessageKey> = {
  reply: 'inbox.reply',
  state: 'inbox.state',
  assigned: 'inbox.assigned',
  mention: 'inbox.mention',
  sla_warning: 'inbox.slaWarning',
  sla_breach: 'inbox.slaBreach',
};

/**
 * The person's notifications, newest first, unread ones marked; opening one marks it read and
 * goes to its ticket (the portal's page for branch staff, the desk's for everyone else).
 */
export function NotificationList({
  controls,
  ticketPath,
}: {
  controls: InboxControls;
  ticketPath: (ticketId: string) => string;
}) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const { inbox } = controls;
  if (!inbox) return null;
  return (
    <Stack gap="xs" data-testid="inbox">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" data-testid="inbox-unread">
          {inbox.unread === 0 ? t('inbox.allRead') : t('inbox.unread', { n: inbox.unread })}
        </Text>
        {inbox.unread > 0 && (
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={() => void controls.readAll()}
            data-testid="inbox-read-all"
          >
            {t('inbox.readAll')}
          </Button>
        )}
      </Group>
      {inbox.items.length === 0 && (
        <Text c="dimmed" data-testid="inbox-empty">
          {t('inbox.none')}
        </Text>
      )}
      {inbox.items.map((item) => (
        <Item key={item.id} item={item} now={now} controls={controls} ticketPath={ticketPath} />
      ))}
    </Stack>
  );
}

function Item({
  item,
  now,
  controls,
  ticketPath,
}: {
  item: InboxItem;
  now: number;
  controls: InboxControls;
  ticketPath: (ticketId: string) => string;
}) {
  const { t, locale } = useI18n();
  const number = t('tickets.heading', { number: formatTicketNumber(item.number, locale) });
  const open = async () => {
    if (!item.read) await controls.read(item.id).catch(() => undefined);
    if (item.ticketId) navigate(ticketPath(item.ticketId));
  };
  return (
    <Card
      withBorder
      padding="sm"
      data-testid="inbox-item"
      data-read={item.read}
      style={
        item.read
          ? undefined
          : { borderInlineStart: '4px solid var(--mantine-primary-color-filled)' }
      }
    >
      <UnstyledButton onClick={() => void open()} style={{ display: 'block', width: '100%' }}>
        <Text size="sm" fw={item.read ? 400 : 600} data-testid="inbox-sentence">
          <Sentence
            template={t(SENTENCES[item.kind])}
            vars={{
              who: item.author ?? t('app.name'),
              number,
              state: item.state ? t(`ticketState.${item.state}` as MessageKey) : '',
            }}
          />
        </Text>
        <Text size="sm" dir="auto" style={{ overflowWrap: 'anywhere' }}>
          {item.subject}
        </Text>
        {item.excerpt && (
          <Text size="xs" c="dimmed" dir="auto" lineClamp={2}>
            {item.excerpt}
          </Text>
        )}
      </UnstyledButton>
      <Group justify="space-between" mt={4} gap="xs">
        <Text size="xs" c="dimmed">
          <RelativeTime at={item.createdAt} now={now} />
        </Text>
        <Anchor
          component="button"
          size="xs"
          onClick={() => void (item.read ? controls.unread(item.id) : controls.read(item.id))}
        >
          {item.read ? t('inbox.markUnread') : t('inbox.markRead')}
        </Anchor>
      </Group>
    </Card>
  );
}

/** The bell's count, for the badge: "9+" past nine. */
export const countLabel = (n: number, locale: string) =>
  n > 9 ? `${new Intl.NumberFormat(locale).format(9)}+` : new Intl.NumberFormat(locale).format(n);
