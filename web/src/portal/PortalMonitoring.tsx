import { Alert, Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { Check } from '../api/types';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useLiveRefresh } from '../live/liveSource';
import { useNow } from '../common/useNow';
import { RelativeTime } from '../common/RelativeTime';
import { Sentence } from '../desk/Sentence';
import { useI18n } from '../i18n';
import { checkStateColor } from '../theme/stateColors';
import { BranchHealthCard, checkLabel } from './BranchHealthCard';
import { branchHealth } from './health';
import { HEALTH_EVENTS, HEALTH_POLL_MS, PORTAL_REFRESH_MS } from './usePortal';

/** Each of the person's branches: its health, then every watched thing and whether it works. */
export function PortalMonitoring() {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useApi();
  const now = useNow(30_000);
  const load = useCallback(async () => {
    const [branches, agents, checks] = await Promise.all([
      client.branches(),
      client.agents(),
      client.checks(),
    ]);
    return branchHealth(branches, agents, checks);
  }, [client]);
  const { data, error, reload } = useLoad(load);
  useLiveRefresh(HEALTH_EVENTS, reload, PORTAL_REFRESH_MS, { livePollMs: HEALTH_POLL_MS });
  if (!data)
    return error ? <Alert color="red">{describeError(error, i18n)}</Alert> : <Loader m="xl" />;
  return (
    <Stack gap="md" data-testid="portal-monitoring">
      <Title order={1} size="h3">
        {t('portal.monitoring.title')}
      </Title>
      {data.length === 0 && <Alert color="yellow">{t('portal.home.noBranch')}</Alert>}
      {data.map((health) => (
        <Stack key={health.branch.id} gap="xs">
          <BranchHealthCard health={health} now={now} />
          {health.checks.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('portal.monitoring.none')}
            </Text>
          ) : (
            <Card withBorder padding={0}>
              {[...health.checks]
                .sort((a, b) => Number(b.role === 'wan') - Number(a.role === 'wan'))
                .map((check) => (
                  <CheckLine key={check.id} check={check} now={now} />
                ))}
            </Card>
          )}
        </Stack>
      ))}
    </Stack>
  );
}

function CheckLine({ check, now }: { check: Check; now: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Group
      justify="space-between"
      wrap="nowrap"
      gap="xs"
      px="sm"
      py={8}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      data-testid="portal-check"
      data-state={check.state}
    >
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600}>
          {checkLabel(check, i18n)}
        </Text>
        <Text
          size="xs"
          c="dimmed"
          dir="ltr"
          truncate
          title={check.target}
          style={{ textAlign: 'start' }}
        >
          {check.target}
        </Text>
      </div>
      <Stack gap={0} align="flex-end" style={{ flex: 'none' }}>
        <Badge color={checkStateColor[check.state]} variant="light">
          {t(`portal.checkState.${check.state}`)}
        </Badge>
        {check.stateSince && check.state !== 'unknown' && (
          <Text size="xs" c="dimmed">
            <Sentence
              template={t('portal.checkState.since')}
              vars={{ when: <RelativeTime at={check.stateSince} now={now} /> }}
            />
          </Text>
        )}
      </Stack>
    </Group>
  );
}
