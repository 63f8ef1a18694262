import { Alert, Anchor, Badge, Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { conversationPdf } from '../reports/reportQuery';
import type { DeskTicket, TicketPriority } from '../api/types';
import { linkTo } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { TicketStateBadge } from '../tickets/TicketBadges';
import { TICKET_PRIORITIES } from './queueQuery';
import { Sentence } from './Sentence';
import type { Directory } from './useDirectory';
import type { TicketEditor } from './useTicketEditor';
import { nextStates } from './workflow';
import { formatTicketNumber } from '../format/numbers';

interface TicketHeaderProps {
  ticket: DeskTicket;
  directory: Directory;
  now: number;
  editor: TicketEditor;
}

/**
 * Number, subject, who asked and where; state with the transitions the workflow allows,
 * priority, assignee (and "assign to me") and group. Not optimistic: a change shows once the
 * hub accepted it (it may refuse: 409, or 412 when someone else changed the ticket first).
 */
export function TicketHeader({ ticket, directory, now, editor }: TicketHeaderProps) {
  const { t, locale, language } = useI18n();
  const { busy } = editor;
  const transitions = nextStates(ticket.state);
  const people = directory.people.map((p) => ({ value: p.id, label: p.username }));
  if (ticket.assigneeId !== null && !people.some((p) => p.value === ticket.assigneeId)) {
    people.push({
      value: ticket.assigneeId,
      label: directory.names.get(ticket.assigneeId) ?? t('desk.timeline.gone'),
    });
  }
  const branch = directory.branches.find((b) => b.id === ticket.branchId);
  const me = directory.me;

  return (
    <Stack gap="sm" data-testid="ticket-header">
      <div>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" c="dimmed" data-testid="ticket-number">
            {t('tickets.heading', { number: formatTicketNumber(ticket.number, locale) })}
          </Text>
          <TicketStateBadge state={ticket.state} />
          <Badge color="gray" variant="outline">
            {t(`source.${ticket.source}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('tickets.opened')} <RelativeTime at={ticket.openedAt} now={now} />
          </Text>
          <Button
            component="a"
            size="compact-xs"
            variant="default"
            href={conversationPdf(`/api/v1/tickets/${ticket.id}`, language)}
            data-testid="ticket-pdf"
          >
            {t('exports.ticketPdf')}
          </Button>
        </Group>
        <Title
          order={2}
          size="h3"
          data-testid="ticket-subject"
          style={{ overflowWrap: 'anywhere' }}
        >
          <bdi>{ticket.subject}</bdi>
        </Title>
        <Group gap="xs" wrap="wrap" data-testid="ticket-origin">
          <Text size="sm" c="dimmed">
            {ticket.source === 'alert' ? (
              t('desk.ticket.byAlert')
            ) : ticket.requesterName !== null ? (
              <Sentence
                template={t('desk.ticket.requestedBy')}
                vars={{ name: ticket.requesterName }}
              />
            ) : null}
            {ticket.requesterContact !== null && (
              <>
                {' · '}
                <bdi dir="ltr">{ticket.requesterContact}</bdi>
              </>
            )}
          </Text>
          {branch && (
            <Anchor size="sm" {...linkTo(`/branches/${encodeURIComponent(branch.id)}`)}>
              <bdi>{branch.name}</bdi>
            </Anchor>
          )}
        </Group>
      </div>
      <Group gap="xs" data-testid="transitions" wrap="wrap">
        <Text size="sm" c="dimmed">
          {transitions.length === 0 ? t('desk.ticket.final') : t('desk.ticket.moveTo')}
        </Text>
        {transitions.map((state) => (
          <Button
            key={state}
            size="compact-sm"
            variant={state === 'resolved' ? 'filled' : 'light'}
            disabled={busy}
            onClick={() => void editor.change({ state })}
            data-testid="transition"
            data-state={state}
          >
            {t(`ticketState.${state}`)}
          </Button>
        ))}
      </Group>
      <Group gap="sm" align="end" wrap="wrap">
        <Select
          label={t('desk.ticket.priority')}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={ticket.priority}
          allowDeselect={false}
          disabled={busy}
          onChange={(v) =>
            v && v !== ticket.priority && void editor.change({ priority: v as TicketPriority })
          }
          w={{ base: '100%', xs: 140 }}
          data-testid="ticket-priority"
        />
        <Select
          label={t('desk.ticket.assignee')}
          data={[{ value: '', label: t('desk.ticket.nobody') }, ...people]}
          value={ticket.assigneeId ?? ''}
          searchable
          disabled={busy}
          onChange={(v) =>
            (v ?? '') !== (ticket.assigneeId ?? '') && void editor.change({ assigneeId: v || null })
          }
          w={{ base: '100%', xs: 180 }}
          data-testid="ticket-assignee"
        />
        {me !== null && ticket.assigneeId !== me.id && (
          <Button
            variant="default"
            disabled={busy}
            onClick={() => void editor.change({ assigneeId: me.id })}
            data-testid="assign-me"
          >
            {t('desk.ticket.assignMe')}
          </Button>
        )}
        <Select
          label={t('desk.ticket.group')}
          data={[
            { value: '', label: t('desk.ticket.noGroup') },
            ...directory.groups.map((g) => ({ value: g.id, label: g.name })),
          ]}
          value={ticket.groupId ?? ''}
          disabled={busy}
          onChange={(v) =>
            (v ?? '') !== (ticket.groupId ?? '') && void editor.change({ groupId: v || null })
          }
          w={{ base: '100%', xs: 180 }}
          data-testid="ticket-group"
        />
      </Group>
      {editor.problem !== null && (
        <Alert color="red" title={t('desk.ticket.changeFailed')} data-testid="change-problem">
          {editor.problem}
        </Alert>
      )}
    </Stack>
  );
}
