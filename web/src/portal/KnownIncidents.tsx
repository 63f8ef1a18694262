import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { KnownIncident } from '../api/portalApi';
import { linkTo } from '../app/router';
import { describeError } from '../common/describeError';
import { formatAbsolute } from '../format/relativeTime';
import { formatTicketNumber } from '../format/numbers';
import { useI18n } from '../i18n';
import { usePortalApi } from './usePortal';

/** "10:02" today, else the date and time, in the reader's calendar and digits. */
export function sinceTime(at: string, now: number, locale: string): string {
  const then = new Date(at);
  const sameDay = new Date(now).toDateString() === then.toDateString();
  return sameDay
    ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(then)
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(then);
}

/**
 * What is already known at the person's branches (active alert tickets), each with Follow, so
 * branch staff follow the incident instead of reporting it again.
 */
export function KnownIncidents({
  incidents,
  now,
  onChanged,
  mark,
}: {
  incidents: KnownIncident[];
  now: number;
  onChanged: () => void;
  /** Outlines the section while the first-visit tour's tip about it is shown. */
  mark?: { 'data-tour-active'?: true };
}) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" data-testid="known-incidents" {...mark}>
      <Title order={2} size="h4">
        {t('portal.known.title')}
      </Title>
      {incidents.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="known-none">
          {t('portal.known.none')}
        </Text>
      ) : (
        <>
          <Text size="sm">{t('portal.known.hint')}</Text>
          {incidents.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} now={now} onChanged={onChanged} />
          ))}
        </>
      )}
    </Stack>
  );
}

function IncidentCard({
  incident,
  now,
  onChanged,
}: {
  incident: KnownIncident;
  now: number;
  onChanged: () => void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const api = usePortalApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const number = t('tickets.heading', { number: formatTicketNumber(incident.number, locale) });
  const toggle = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await (incident.followed ? api.unfollow(incident.id) : api.follow(incident.id));
      onChanged();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      withBorder
      data-testid="known-incident"
      style={{
        borderInlineStartWidth: 4,
        borderInlineStartColor: 'var(--mantine-color-orange-6)',
      }}
    >
      <Stack gap={6}>
        <Text size="sm" c="dimmed" fw={600}>
          {t('portal.known.incident', { number })}
          {incident.branchName && (
            <>
              {' · '}
              <bdi>{incident.branchName}</bdi>
            </>
          )}
        </Text>
        <Text fw={600} dir="auto" style={{ overflowWrap: 'anywhere' }}>
          {incident.subject}
        </Text>
        <Text size="sm">
          <span title={formatAbsolute(incident.openedAt, locale)}>
            {t('portal.known.since', { time: sinceTime(incident.openedAt, now, locale) })}
          </span>
          {' · '}
          {incident.beingWorkedOn ? t('portal.known.beingWorkedOn') : t('portal.known.reported')}
        </Text>
        <Group gap="xs" wrap="wrap">
          {incident.followed ? (
            <>
              <Badge color="teal" variant="light" data-testid="incident-followed">
                {t('portal.known.following')}
              </Badge>
              <Button
                variant="subtle"
                size="compact-sm"
                loading={busy}
                onClick={() => void toggle()}
              >
                {t('portal.known.unfollow')}
              </Button>
            </>
          ) : (
            <Button loading={busy} onClick={() => void toggle()} data-testid="incident-follow">
              {t('portal.known.follow')}
            </Button>
          )}
          {incident.followed && (
            <Button
              component="a"
              variant="default"
              size="compact-sm"
              {...linkTo(`/portal/tickets/${encodeURIComponent(incident.id)}`)}
            >
              {t('portal.ticket.conversation')}
            </Button>
          )}
        </Group>
        {problem !== null && <Alert color="red">{describeError(problem, i18n)}</Alert>}
      </Stack>
    </Card>
  );
}
