import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Rating,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useCallback } from 'react';
import { PORTAL_CSV_URL, type PortalTicket } from '../api/portalApi';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { RelativeTime } from '../common/RelativeTime';
import { useLoad } from '../common/useLoad';
import { useLiveRefresh } from '../live/liveSource';
import { useNow } from '../common/useNow';
import { Sentence } from '../desk/Sentence';
import { formatTicketNumber } from '../format/numbers';
import { useI18n } from '../i18n';
import { TicketStateBadge } from '../tickets/TicketBadges';
import { PORTAL_REFRESH_MS, usePortalApi } from './usePortal';

/** The person's tickets (their own and the ones they follow), newest activity first; CSV. */
export function MyTickets() {
  const i18n = useI18n();
  const { t } = i18n;
  const portal = usePortalApi();
  const now = useNow(30_000);
  const { data, error, reload } = useLoad(useCallback(() => portal.tickets(), [portal]));
  useLiveRefresh(['ticket.changed'], reload, PORTAL_REFRESH_MS);
  return (
    <Stack gap="md" data-testid="portal-tickets">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={1} size="h3">
          {t('portal.tickets.title')}
        </Title>
        <Group gap="xs">
          <Button
            component="a"
            variant="default"
            href={PORTAL_CSV_URL}
            download
            data-testid="portal-export"
          >
            {t('portal.tickets.export')}
          </Button>
          <Button component="a" {...linkTo('/portal/tickets/new')}>
            {t('portal.home.report')}
          </Button>
        </Group>
      </Group>
      {error !== null && <Alert color="red">{describeError(error, i18n)}</Alert>}
      {!data && error === null && <Loader />}
      {data?.length === 0 && (
        <Text c="dimmed" data-testid="portal-no-tickets">
          {t('portal.tickets.none')}
        </Text>
      )}
      {data?.map((ticket) => (
        <TicketCard key={ticket.id} ticket={ticket} now={now} />
      ))}
    </Stack>
  );
}

function TicketCard({ ticket, now }: { ticket: PortalTicket; now: number }) {
  const { t, locale } = useI18n();
  const to = `/portal/tickets/${encodeURIComponent(ticket.id)}`;
  return (
    <Card withBorder data-testid="portal-ticket" padding="sm">
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" c="dimmed" data-testid="ticket-number">
            {t('tickets.heading', { number: formatTicketNumber(ticket.number, locale) })}
          </Text>
          <TicketStateBadge state={ticket.state} />
          {ticket.rating !== null && (
            <Rating
              value={ticket.rating}
              readOnly
              size="xs"
              aria-label={t('portal.tickets.stars', { n: ticket.rating })}
            />
          )}
        </Group>
        <Anchor fw={600} dir="auto" style={{ overflowWrap: 'anywhere' }} {...linkTo(to)}>
          {ticket.subject}
        </Anchor>
        <Text size="xs" c="dimmed">
          {ticket.branchName && (
            <>
              <bdi>{ticket.branchName}</bdi>
              {' · '}
            </>
          )}
          <Sentence
            template={t('portal.tickets.updated')}
            vars={{ when: <RelativeTime at={ticket.updatedAt} now={now} /> }}
          />
        </Text>
      </Stack>
    </Card>
  );
}
