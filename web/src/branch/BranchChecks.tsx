import { Box, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { Check } from '../api/types';
import { PHONE } from '../common/media';
import { RelativeTime } from '../common/RelativeTime';
import { checkTypeLabel } from '../format/checkType';
import { useI18n } from '../i18n';
import { describeResult } from '../overview/describeResult';
import { CheckStateBadge } from '../overview/StateBadge';
import classes from './BranchChecks.module.css';
import { LATENCY_TYPES } from './LatencyPanel';

interface BranchChecksProps {
  checks: Check[];
  agentNames: Map<string, string>;
  chartedId: string | null;
  now: number;
  onChart: (checkId: string) => void;
}

/** Every check of the branch; a row with latency puts its check on the chart. */
export function BranchChecks({ checks, agentNames, chartedId, now, onChart }: BranchChecksProps) {
  const i18n = useI18n();
  const { t } = i18n;
  // Read before the first paint: a phone never draws the table first.
  const phone = useMediaQuery(PHONE, undefined, { getInitialValueInEffect: false });
  if (checks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('branch.noChecks')}
      </Text>
    );
  }
  const rowProps = (check: Check) => {
    const chartable = LATENCY_TYPES.has(check.type);
    const charted = check.id === chartedId;
    return {
      'data-testid': 'branch-check-row',
      'data-check-id': check.id,
      'data-state': check.state,
      bg: charted ? 'var(--mantine-primary-color-light)' : undefined,
      style: chartable ? { cursor: 'pointer' } : undefined,
      onClick: chartable ? () => onChart(check.id) : undefined,
    };
  };
  const name = (check: Check) => (
    <Text
      size="sm"
      fw={500}
      dir="ltr"
      truncate="end"
      miw={0}
      title={check.key}
      data-testid="branch-check-name"
    >
      {check.key}
    </Text>
  );
  const target = (check: Check) => (
    <Text size="xs" ff="monospace" dir="ltr" truncate="end" miw={0} title={check.target}>
      {check.target}
    </Text>
  );

  if (phone) {
    // Six columns do not fit a phone (in Persian the state and the name ran off the card):
    // each check a row of its own lines, its name and state on the first.
    return (
      <Box role="list">
        {checks.map((check) => (
          <Stack
            key={check.id}
            gap={4}
            role="listitem"
            aria-current={check.id === chartedId || undefined}
            className={classes.item}
            {...rowProps(check)}
          >
            <Group gap="xs" wrap="nowrap" justify="space-between">
              {name(check)}
              <CheckStateBadge state={check.state} />
            </Group>
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                {checkTypeLabel(check.type, i18n)}
              </Text>
              {target(check)}
            </Group>
            <Group gap="xs" justify="space-between" align="baseline">
              <Text size="sm">{describeResult(check, i18n)}</Text>
              <RelativeTime at={check.lastResult?.at ?? null} now={now} size="xs" c="dimmed" />
            </Group>
            <Text size="xs" c="dimmed">
              {agentNames.get(check.agentId) ?? ''}
            </Text>
          </Stack>
        ))}
      </Box>
    );
  }
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('check.state')}</Table.Th>
            <Table.Th>{t('branch.checkName')}</Table.Th>
            <Table.Th>{t('check.type')}</Table.Th>
            <Table.Th>{t('check.target')}</Table.Th>
            <Table.Th>{t('check.result')}</Table.Th>
            <Table.Th>{t('check.ran')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checks.map((check) => (
            <Table.Tr key={check.id} aria-selected={check.id === chartedId} {...rowProps(check)}>
              <Table.Td>
                <CheckStateBadge state={check.state} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500} data-testid="branch-check-name">
                  {check.key}
                </Text>
                <Text size="xs" c="dimmed">
                  {agentNames.get(check.agentId) ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text span size="sm">
                  {checkTypeLabel(check.type, i18n)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text span size="sm" ff="monospace" dir="ltr">
                  {check.target}
                </Text>
              </Table.Td>
              <Table.Td>{describeResult(check, i18n)}</Table.Td>
              <Table.Td>
                <RelativeTime at={check.lastResult?.at ?? null} now={now} size="sm" c="dimmed" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
