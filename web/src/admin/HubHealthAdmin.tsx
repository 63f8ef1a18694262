import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import type { HubHealth, HubJob } from '../api/identityApi';
import { useEvery, useIdentityApi, useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { AdminSection } from './crud';

/** The hub's own jobs by name; TimescaleDB's by procedure (hub/src/core/job-health.ts). */
const HUB_JOBS = [
  'rollups',
  'partitions',
  'alert-sweep',
  'sla-sweep',
  'notify-outbox',
  'retention',
];
const TIMESCALE_PROCEDURES: Record<string, string> = {
  policy_compression: 'compression',
  policy_retention: 'retention',
  policy_refresh_continuous_aggregate: 'refresh',
};

type JobState = 'ok' | 'failing' | 'alerting' | 'idle';

export function jobState(job: HubJob, failuresBeforeAlert: number): JobState {
  if (job.consecutiveFailures >= failuresBeforeAlert) return 'alerting';
  if (job.consecutiveFailures > 0) return 'failing';
  return job.runs === 0 ? 'idle' : 'ok';
}

const STATE_COLOR: Record<JobState, string> = {
  ok: 'teal',
  failing: 'orange',
  alerting: 'red',
  idle: 'gray',
};

/** What a person calls the job: its translated name, and a TimescaleDB job's table. */
export function jobLabel(job: HubJob, { t }: Pick<I18n, 't'>): string {
  if (job.kind === 'hub') {
    return HUB_JOBS.includes(job.name)
      ? t(`admin.health.job.${job.name}` as MessageKey)
      : t('admin.health.job.other');
  }
  const what = TIMESCALE_PROCEDURES[job.procedure ?? ''] ?? 'other';
  return t(`admin.health.timescale.${what}` as MessageKey);
}

/**
 * Hub health (global admins): every background job of the hub and of TimescaleDB with its
 * last success and error, and the notification outbox per channel; refreshed every 5 s.
 */
export function HubHealthAdmin() {
  const { t } = useI18n();
  const api = useIdentityApi();
  const load = useCallback(() => api.hubHealth(), [api]);
  const health = useLoad(load);
  useEvery(5000, health.reload);
  return (
    <AdminSection title={t('admin.health.title')} help={t('admin.health.help')} state={health}>
      {health.data && <HealthBody health={health.data} />}
    </AdminSection>
  );
}

function HealthBody({ health }: { health: HubHealth }) {
  const i18n = useI18n();
  const now = useNow();
  const { t } = i18n;
  const failing = health.jobs.filter((j) => j.consecutiveFailures > 0).length;
  return (
    <Stack gap="md">
      <Text data-testid="health-summary" fw={500} c={failing > 0 ? 'red' : undefined}>
        {failing > 0
          ? t('admin.health.summaryFailing', { n: failing })
          : t('admin.health.summaryOk', { n: health.jobs.length })}
      </Text>
      {health.unreadable.length > 0 && (
        <Text c="orange" data-testid="health-unreadable">
          {t('admin.health.unreadable')}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="health-jobs">
        {health.jobs.map((job) => (
          <JobCard
            key={job.name}
            job={job}
            failuresBeforeAlert={health.failuresBeforeAlert}
            now={now}
          />
        ))}
      </SimpleGrid>
      <Title order={4}>{t('admin.health.outbox')}</Title>
      {health.outbox.length === 0 ? (
        <Text c="dimmed">{t('admin.health.outboxEmpty')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="health-outbox">
          {health.outbox.map((c) => (
            <Card key={c.channel} withBorder padding="sm" data-testid="health-channel">
              <Text fw={500}>{t(`admin.channels.channel.${c.channel}` as MessageKey)}</Text>
              <Text size="sm">
                {t('admin.health.outboxCounts', {
                  pending: c.pending,
                  retrying: c.retrying,
                  dead: c.dead,
                })}
              </Text>
              <Text size="sm" c="dimmed">
                {c.oldestWaitingAt
                  ? t('admin.health.oldestWaiting', {
                      when: formatRelative(c.oldestWaitingAt, now, i18n),
                    })
                  : t('admin.health.nothingWaiting')}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function JobCard({
  job,
  failuresBeforeAlert,
  now,
}: {
  job: HubJob;
  failuresBeforeAlert: number;
  now: number;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = jobState(job, failuresBeforeAlert);
  const ago = (at: string | null) => formatRelative(at, now, i18n);
  return (
    <Card withBorder padding="sm" data-testid="health-job" data-state={state}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text fw={500}>{jobLabel(job, i18n)}</Text>
            {job.kind === 'timescaledb' && (
              <Text size="xs" c="dimmed">
                {t('admin.health.inTimescale')}
                {job.target && (
                  <>
                    {' · '}
                    <bdi dir="ltr">{job.target}</bdi>
                  </>
                )}
              </Text>
            )}
          </Stack>
          <Badge color={STATE_COLOR[state]} variant="light" style={{ flex: 'none' }}>
            {t(`admin.health.state.${state}`, { n: job.consecutiveFailures })}
          </Badge>
        </Group>
        {job.runs > 0 && (
          <Text size="sm" title={formatAbsolute(job.lastSuccessAt, i18n.locale)}>
            {job.lastSuccessAt
              ? t('admin.health.lastSuccess', { when: ago(job.lastSuccessAt) })
              : t('admin.health.neverSucceeded')}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('admin.health.runs', { runs: job.runs, failures: job.failures })}
          {job.lastDurationMs !== null &&
            ` · ${t('admin.health.took', { s: Math.round(job.lastDurationMs / 100) / 10 })}`}
        </Text>
        {job.lastError && (
          <Text size="xs" c={state === 'ok' ? 'dimmed' : 'red'} data-testid="health-error">
            {t('admin.health.lastError', { when: ago(job.lastFailureAt) })}{' '}
            <bdi dir="ltr" style={{ overflowWrap: 'anywhere' }}>
              {job.lastError}
            </bdi>
          </Text>
        )}
      </Stack>
    </Card>
  );
}
