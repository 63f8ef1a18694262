import { Table, Text } from '@mantine/core';
import type { Check } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { checkTypeLabel } from '../format/checkType';
import { useI18n } from '../i18n';
import { describeResult } from '../overview/describeResult';
import { CheckStateBadge } from '../overview/StateBadge';
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
  if (checks.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('branch.noChecks')}
      </Text>
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
          {checks.map((check) => {
            const chartable = LATENCY_TYPES.has(check.type);
            return (
              <Table.Tr
                key={check.id}
                data-testid="branch-check-row"
                data-check-id={check.id}
                data-state={check.state}
                aria-selected={check.id === chartedId}
                bg={check.id === chartedId ? 'var(--mantine-primary-color-light)' : undefined}
                style={chartable ? { cursor: 'pointer' } : undefined}
                onClick={chartable ? () => onChart(check.id) : undefined}
              >
                <Table.Td>
                  <CheckStateBadge state={check.state} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
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
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
