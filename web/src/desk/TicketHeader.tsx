import { Alert, Badge, Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { DeskTicket, TicketPriority } from '../api/types';
import { describeError } from '../common/describeError';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { TicketStateBadge } from '../tickets/TicketBadges';
import { TICKET_PRIORITIES } from './queueQuery';
import type { Directory } from './useDirectory';
import { nextStates } from './workflow';

interface TicketHeaderProps {
  ticket: DeskTicket;
  directory: Directory;
  now: number;
  /** Called after the hub accepted a change, to read the ticket again. */
  onChanged: () => void;
}

/**
 * Number, subject, state with the transitions the workflow allows, priority, assignee and
 * group. Not optimistic: a change shows once the hub accepted it (it may refuse, 409).
 */
export function TicketHeader({ ticket, directory, now, onChanged }: TicketHeaderProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const change = async (values: Record<string, unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await api.changeTicket(ticket.id, values);
      onChanged();
    } catch (error) {
      setProblem(describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };
  const transitions = nextStates(ticket.state);
  const people = directory.people.map((p) => ({ value: p.id, label: p.username }));
  if (ticket.assigneeId !== null && !people.some((p) => p.value === ticket.assigneeId)) {
    people.push({ value: ticket.assigneeId, label: ticket.assigneeId.slice(0, 8) });
  }

  return (
    <Stack gap="sm" data-testid="ticket-header">
      <div>
        <Group gap="xs">
          <Text size="sm" c="dimmed" data-testid="ticket-number">
            {t('tickets.heading', { number: String(ticket.number) })}
          </Text>
          <TicketStateBadge state={ticket.state} />
          <Badge color="gray" variant="outline">
            {t(`source.${ticket.source}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('tickets.opened')} <RelativeTime at={ticket.openedAt} now={now} />
          </Text>
        </Group>
        <Title order={2} size="h3" data-testid="ticket-subject">
          {ticket.subject}
        </Title>
      </div>
      <Group gap="xs" data-testid="transitions">
        <Text size="sm" c="dimmed">
          {transitions.length === 0 ? t('desk.ticket.final') : t('desk.ticket.moveTo')}
        </Text>
        {transitions.map((state) => (
          <Button
            key={state}
            size="compact-sm"
            variant={state === 'resolved' ? 'filled' : 'light'}
            disabled={busy}
            onClick={() => void change({ state })}
            data-testid="transition"
            data-state={state}
          >
            {t(`ticketState.${state}`)}
          </Button>
        ))}
      </Group>
      <Group gap="sm" align="end">
        <Select
          label={t('desk.ticket.priority')}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={ticket.priority}
          allowDeselect={false}
          disabled={busy}
          onChange={(v) =>
            v && v !== ticket.priority && void change({ priority: v as TicketPriority })
          }
          w={140}
          data-testid="ticket-priority"
        />
        <Select
          label={t('desk.ticket.assignee')}
          data={[{ value: '', label: t('desk.ticket.nobody') }, ...people]}
          value={ticket.assigneeId ?? ''}
          searchable
          disabled={busy}
          onChange={(v) =>
            (v ?? '') !== (ticket.assigneeId ?? '') && void change({ assigneeId: v || null })
          }
          w={180}
          data-testid="ticket-assignee"
        />
        <Select
          label={t('desk.ticket.group')}
          data={[
            { value: '', label: t('desk.ticket.noGroup') },
            ...directory.groups.map((g) => ({ value: g.id, label: g.name })),
          ]}
          value={ticket.groupId ?? ''}
          disabled={busy}
          onChange={(v) =>
            (v ?? '') !== (ticket.groupId ?? '') && void change({ groupId: v || null })
          }
          w={180}
          data-testid="ticket-group"
        />
      </Group>
      {problem !== null && (
        <Alert color="red" title={t('desk.ticket.changeFailed')} data-testid="change-problem">
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
