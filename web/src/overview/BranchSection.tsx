import { Badge, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { Fragment } from 'react';
import { useI18n } from '../i18n';
import { checkStateColor } from '../theme/stateColors';
import { AgentChecks } from './AgentChecks';
import type { CheckState } from '../api/types';
import type { BranchGroup } from './groupOverview';

// What needs attention first.
const summaryOrder: CheckState[] = ['failing', 'unknown', 'ok'];

interface BranchSectionProps {
  group: BranchGroup;
  now: number;
}

/** One branch as a card: its name, a summary of its checks, and each agent's checks. */
export function BranchSection({ group, now }: BranchSectionProps) {
  const { t } = useI18n();
  const { branch, agents, counts } = group;

  return (
    <Card data-testid="branch" data-branch-id={branch?.id ?? ''}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Title order={3} size="h5">
            {branch?.name ?? t('overview.unknownBranch')}
          </Title>
          {branch !== null && (
            <Text size="xs" c="dimmed" ff="monospace" dir="ltr">
              {branch.tenant}/{branch.slug}
            </Text>
          )}
        </Group>
        <Group gap={6} data-testid="branch-summary">
          {summaryOrder
            .filter((state) => counts[state] > 0)
            .map((state) => (
              <Badge key={state} color={checkStateColor[state]} variant="dot">
                {t(`summary.${state}`, { n: counts[state] })}
              </Badge>
            ))}
        </Group>
      </Group>
      {agents.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('overview.noBranchAgents')}
        </Text>
      ) : (
        <Stack gap="md">
          {agents.map((agentGroup, index) => (
            <Fragment key={agentGroup.agent.id}>
              {index > 0 && <Divider />}
              <AgentChecks group={agentGroup} now={now} />
            </Fragment>
          ))}
        </Stack>
      )}
    </Card>
  );
}
