import { Alert, Anchor, Grid, Loader, Stack } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { useI18n } from '../i18n';
import { useLive } from '../live/liveSource';
import { AlertContext } from './AlertContext';
import { ConflictNotice, StillFailingModal } from './EditNotices';
import { ReplyBox } from './ReplyBox';
import { SlaClocks } from './SlaClocks';
import { TicketDetails } from './TicketDetails';
import { TicketHeader } from './TicketHeader';
import { AttachmentsPanel, TagsPanel, WatchersPanel } from './TicketSide';
import { Timeline } from './Timeline';
import { Runbooks } from '../knowledge/Runbooks';
import { DraftFromTicket } from '../knowledge/DraftFromTicket';
import { AutomationPanel } from '../admin/automation/AutomationPanel';
import { useDirectory } from './useDirectory';
import { useTicketEditor } from './useTicketEditor';

/**
 * Read again when the hub says this ticket changed (others' replies and changes appear at
 * once); only while the live stream is down, this often. Clocks tick every second regardless.
 */
const TICKET_FALLBACK_MS = 10_000;

/**
 * One ticket: header with workflow and assignment, one timeline (opening, conversation and
 * changes, top to bottom) ending in the reply box, SLA clocks, details and side panels.
 */
export function TicketPage({ ticketId }: { ticketId: string }) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const directory = useDirectory();
  const now = useNow(1000);
  const [reloads, setReloads] = useState(0);
  const load = useCallback(
    () => api.deskTicket(ticketId),
    // A new loader after each change reads the ticket again at once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, ticketId, reloads],
  );
  const { data, error, fetchedAt } = useLive(
    load,
    ['ticket.changed'],
    TICKET_FALLBACK_MS,
    undefined,
    (event) => event.ticketId === ticketId,
  );
  const reload = () => setReloads((n) => n + 1);
  const editor = useTicketEditor(data?.ticket ?? null, reload);

  if (data === null) {
    return error === null ? (
      <Loader size="sm" />
    ) : (
      <Alert color="red" title={t('desk.ticket.loadFailed')} data-testid="ticket-load-failed">
        {describeError(error, i18n)}
      </Alert>
    );
  }
  const side = { detail: data, myId: directory.me?.id ?? null, onChanged: reload };
  return (
    <Stack
      gap="md"
      data-testid="ticket-page"
      data-ticket-id={data.ticket.id}
      data-state={data.ticket.state}
    >
      <Anchor size="sm" {...linkTo('/tickets')}>
        {t('desk.ticket.back')}
      </Anchor>
      {error !== null && (
        <Alert color="yellow" title={t('overview.refreshFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      <ConflictNotice editor={editor} events={data.events} names={directory.names} />
      <TicketHeader ticket={data.ticket} directory={directory} now={now} editor={editor} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          {data.ticket.source === 'alert' && <Runbooks ticketId={data.ticket.id} />}
          <Timeline events={data.events} now={now} names={directory.names}>
            {data.ticket.state !== 'closed' && (
              <ReplyBox ticketId={data.ticket.id} onSent={reload} />
            )}
          </Timeline>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="sm">
            <SlaClocks clocks={data.clocks} fetchedAt={fetchedAt ?? now} now={now} />
            <TicketDetails ticket={data.ticket} editor={editor} />
            {data.ticket.source === 'alert' && <AlertContext ticket={data.ticket} now={now} />}
            <TagsPanel {...side} />
            <WatchersPanel {...side} />
            <AttachmentsPanel {...side} />
            <DraftFromTicket ticketId={data.ticket.id} state={data.ticket.state} />
            <AutomationPanel
              ticketId={data.ticket.id}
              version={data.events.length}
              names={directory.names}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      <StillFailingModal editor={editor} />
    </Stack>
  );
}
