import { Anchor, Badge, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { STATUS_URGENCY } from '@branchwatch/api';
import { Fragment } from 'react';
import type { Heartbeat } from '../api/types';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import { statusColor } from '../theme/stateColors';
import { AgentChecks } from './AgentChecks';
import type { BranchGroup } from './groupOverview';
import { StatusBadge } from './StatusBadge';

interface BranchSectionProps {
  group: BranchGroup;
  now: number;
  heartbeats: ReadonlyMap<string, Heartbeat>;
  /** The person adds agents (Admin → Agents); else the empty branch says who does. */
  managesAgents: boolean;
}

/** One branch as a card: its name, a summary of its checks, and each agent's checks. */
export function BranchSection({ group, now, heartbeats, managesAgents }: BranchSectionProps) {
  const { t } = useI18n();
  const { branch, agents, status } = group;

  return (
    <Card data-testid="branch" data-branch-id={branch?.id ?? ''}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Group gap="xs">
          <StatusBadge status={status.status} />
          <Title order={3} size="h5">
            {branch ? (
              <Anchor inherit {...linkTo(`/branches/${encodeURIComponent(branch.id)}`)}>
                {branch.name}
              </Anchor>
            ) : (
              t('overview.unknownBranch')
            )}
          </Title>
        </Group>
        <Group gap={6} data-testid="branch-summary">
          {STATUS_URGENCY.filter((s) => status.counts[s] > 0).map((s) => (
            <Badge key={s} color={statusColor[s]} variant="dot">
              {t(`statusCount.${s}`, { n: status.counts[s] })}
            </Badge>
          ))}
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid="branch-reason">
        {t(`branchReason.${status.reason}`)}
      </Text>
      {agents.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="branch-no-agents">
          {t(managesAgents ? 'overview.noBranchAgents' : 'overview.noBranchAgentsAsk')}
        </Text>
      ) : (
        <Stack gap="md">
          {agents.map((agentGroup, index) => (
            <Fragment key={agentGroup.agent.id}>
              {index > 0 && <Divider />}
              <AgentChecks group={agentGroup} now={now} heartbeats={heartbeats} />
            </Fragment>
          ))}
        </Stack>
      )}
    </Card>
  );
}
