import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { Check } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { formatAbsolute, formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import classes from './CheckRow.module.css';
import { describeResult } from './describeResult';
import type { AgentGroup } from './groupOverview';
import { CheckStateBadge } from './StateBadge';

interface AgentChecksProps {
  group: AgentGroup;
  now: number;
}

/** One agent: whether it is connected, and a row per check it runs. */
export function AgentChecks({ group, now }: AgentChecksProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { agent, checks } = group;

  return (
    <Stack gap={6} data-testid="agent" data-agent-id={agent.id}>
      <Group gap="xs" wrap="wrap">
        <Text fw={600} size="sm">
          {agent.name}
        </Text>
        <Badge color={agent.online ? 'green' : 'red'} variant="dot" data-testid="agent-status">
          {agent.online ? t('agent.online') : t('agent.offline')}
        </Badge>
        <Text size="xs" c="dimmed" title={formatAbsolute(agent.lastSeenAt, i18n.locale)}>
          {agent.lastSeenAt === null
            ? t('agent.neverSeen')
            : t('agent.lastSeen', { when: formatRelative(agent.lastSeenAt, now, i18n) })}
        </Text>
        {agent.version !== null && (
          <Text size="xs" c="dimmed">
            {t('agent.version', { version: agent.version })}
          </Text>
        )}
      </Group>
      {checks.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('overview.noChecks')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('check.state')}</Table.Th>
                <Table.Th>{t('check.type')}</Table.Th>
                <Table.Th>{t('check.target')}</Table.Th>
                <Table.Th>{t('check.result')}</Table.Th>
                <Table.Th>{t('check.ran')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {checks.map((check) => (
                <CheckRow key={check.id} check={check} now={now} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function CheckRow({ check, now }: { check: Check; now: number }) {
  const i18n = useI18n();
  // The row's tint already says failing; red text is for a failure the state has not caught up with.
  const failedRound = check.lastResult?.status === 'failed' && check.state !== 'failing';
  return (
    <Table.Tr
      className={classes.row}
      data-testid="check-row"
      data-state={check.state}
      data-check-id={check.id}
    >
      <Table.Td>
        <CheckStateBadge state={check.state} />
      </Table.Td>
      <Table.Td>
        <Text span size="sm" ff="monospace">
          {check.type}
        </Text>
      </Table.Td>
      <Table.Td>
        {/* Addresses read left to right in every language (dir=ltr keeps 10.0.0.5:443 whole). */}
        <Text span size="sm" ff="monospace" title={check.key} dir="ltr">
          {check.target}
        </Text>
      </Table.Td>
      <Table.Td
        className={failedRound ? classes.failedResult : undefined}
        data-testid="check-result"
      >
        {describeResult(check, i18n)}
      </Table.Td>
      <Table.Td>
        <RelativeTime at={check.lastResult?.at ?? null} now={now} size="sm" c="dimmed" />
      </Table.Td>
    </Table.Tr>
  );
}
