import { Alert, Anchor, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { conversationPdf } from '../reports/reportQuery';
import { isGone } from '../api/portalApi';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useLiveRefresh } from '../live/liveSource';
import { useNow } from '../common/useNow';
import { Timeline } from '../desk/Timeline';
import { formatTicketNumber } from '../format/numbers';
import { useI18n } from '../i18n';
import { TicketStateBadge } from '../tickets/TicketBadges';
import { SENT_NOTICE_KEY } from './NewTicketForm';
import { onQueueChange } from './offline/replyQueue';
import { RatingCard } from './RatingCard';
import { PortalReply, ReopenCard } from './PortalReply';
import { PORTAL_REFRESH_MS, usePortalApi } from './usePortal';

const NO_NAMES: ReadonlyMap<string, string> = new Map();

/** The notice the new-ticket form left for this ticket, read once. */
function takeSentNotice(ticketId: string): { failed: string[] } | null {
  const raw = sessionStorage.getItem(SENT_NOTICE_KEY);
  if (!raw) return null;
  try {
    const notice = JSON.parse(raw) as { id: string; failed: string[] };
    if (notice.id !== ticketId) return null;
    sessionStorage.removeItem(SENT_NOTICE_KEY);
    return notice;
  } catch {
    return null;
  }
}

/**
 * One ticket as its requester sees it: state, the public conversation (the desk's answers
 * appear as they come, read again every few seconds), files, the reply box; once resolved,
 * reopen within the window and the rating.
 */
export function PortalTicketPage({ userId, ticketId }: { userId: string; ticketId: string }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const portal = usePortalApi();
  const now = useNow(30_000);
  const [sent] = useState(() => takeSentNotice(ticketId));
  const { data, error, reload } = useLoad(
    useCallback(() => portal.ticket(ticketId), [portal, ticketId]),
  );
  useLiveRefresh(['ticket.changed'], reload, PORTAL_REFRESH_MS, {
    accepts: (event) => event.ticketId === ticketId,
  });
  // A reply that waited offline and was just sent shows in the conversation.
  useEffect(() => onQueueChange(reload), [reload]);

  const back = (
    <Anchor size="sm" {...linkTo('/portal/tickets')}>
      {t('portal.ticket.back')}
    </Anchor>
  );
  if (!data) {
    if (error === null) return <Loader m="xl" />;
    return (
      <Stack gap="sm">
        {back}
        <Alert color={isGone(error) ? 'yellow' : 'red'} data-testid="portal-ticket-gone">
          {isGone(error) ? t('portal.ticket.gone') : describeError(error, i18n)}
        </Alert>
      </Stack>
    );
  }
  const { ticket } = data;
  const settled = ticket.state === 'resolved' || ticket.state === 'closed';
  return (
    <Stack gap="md" data-testid="portal-ticket-page">
      {back}
      {sent && (
        <Alert color={sent.failed.length ? 'yellow' : 'teal'} data-testid="portal-sent">
          {t('portal.new.sent', {
            number: t('tickets.heading', { number: formatTicketNumber(ticket.number, locale) }),
          })}
          {sent.failed.map((line) => (
            <Text key={line} size="sm" mt={4}>
              {line}
            </Text>
          ))}
        </Alert>
      )}
      <Card withBorder>
        <Stack gap={6}>
          <Group gap="xs" wrap="wrap">
            <Text size="sm" c="dimmed" data-testid="ticket-number">
              {t('tickets.heading', { number: formatTicketNumber(ticket.number, locale) })}
            </Text>
            <TicketStateBadge state={ticket.state} />
            <Button
              component="a"
              size="compact-xs"
              variant="default"
              href={conversationPdf(`/api/v1/portal/tickets/${ticket.id}`, i18n.language)}
              data-testid="portal-ticket-pdf"
            >
              {t('exports.ticketPdf')}
            </Button>
          </Group>
          <Title order={1} size="h3" dir="auto" style={{ overflowWrap: 'anywhere' }}>
            {ticket.subject}
          </Title>
          <Text size="sm" c="dimmed">
            {ticket.branchName && t('portal.ticket.branch', { name: ticket.branchName })}
            {ticket.branchName && ticket.category && ' · '}
            {ticket.category &&
              t('portal.ticket.category', { name: t(`category.${ticket.category}` as never) })}
          </Text>
          {data.followed && ticket.source === 'alert' && (
            <Text size="sm" c="teal">
              {t('portal.ticket.following')}
            </Text>
          )}
        </Stack>
      </Card>
      {settled && <RatingCard ticketId={ticketId} rating={data.rating} onRated={reload} />}
      {settled && (
        <ReopenCard ticketId={ticketId} reopenUntil={data.reopenUntil} onReopened={reload} />
      )}
      <Timeline
        events={data.events}
        now={now}
        names={NO_NAMES}
        title={t('portal.ticket.conversation')}
        requester
      >
        {data.attachments.length > 0 && (
          <Card withBorder padding="sm" data-testid="portal-files">
            <Text size="sm" fw={600} mb={4}>
              {t('portal.ticket.files')}
            </Text>
            <Stack gap={2}>
              {data.attachments.map((file) => (
                <Anchor
                  key={file.id}
                  size="sm"
                  href={portal.attachmentUrl(ticketId, file.id)}
                  dir="auto"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {file.name}
                </Anchor>
              ))}
            </Stack>
          </Card>
        )}
        {!settled && <PortalReply userId={userId} ticketId={ticketId} onSent={reload} />}
      </Timeline>
    </Stack>
  );
}
