import { Badge, Button, Card, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useI18n } from '../i18n';
import { nodeStateColor } from '../theme/stateColors';
import { colorOf, NODE_STATES, suppressorOf, type GraphNode, type NocGraph } from './graphModel';

interface MapSidePanelProps {
  graph: NocGraph;
  selected: GraphNode | null;
  atBranch: boolean;
  onSelect: (node: GraphNode) => void;
  onActivate: (node: GraphNode) => void;
}

const MAX_PROBLEMS = 50;

/** Beside the map: the selected node, what needs attention, and what the colours mean. */
export function MapSidePanel({
  graph,
  selected,
  atBranch,
  onSelect,
  onActivate,
}: MapSidePanelProps) {
  const { t } = useI18n();
  const problems = graph.nodes.filter(
    (n) =>
      (n.state === 'failing' || n.state === 'flapping') &&
      n.kind !== 'group' &&
      !(atBranch && n.kind === 'branch'),
  );
  const suppressor = selected?.state === 'suppressed' ? suppressorOf(graph, selected) : null;

  return (
    <Stack gap="md">
      {selected && (
        <Card data-testid="map-selected" data-node-id={selected.id}>
          <Text size="xs" c="dimmed">
            {t('map.selected')} · {t(`nodeKind.${selected.kind}`)}
          </Text>
          <Group gap="xs" mb={4}>
            <Title order={3} size="h5">
              {selected.label}
            </Title>
            <StateBadge node={selected} />
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {selected.title}
          </Text>
          {selected.state === 'suppressed' && (
            <Text size="xs" c="dimmed" data-testid="map-suppressed-by">
              {t(`nodeState.${selected.ownState}`)}
              {suppressor !== null && ` · ${t('map.suppressedBehind', { name: suppressor.label })}`}
            </Text>
          )}
          {(selected.kind === 'branch' || selected.ref.checkId) && (
            <Button mt="sm" size="xs" onClick={() => onActivate(selected)} data-testid="map-drill">
              {selected.kind === 'branch' && !atBranch ? t('branch.topology') : t('map.openBranch')}
            </Button>
          )}
        </Card>
      )}
      <Card>
        <Title order={3} size="h6" mb="xs">
          {t('map.problems')}
        </Title>
        {problems.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="map-no-problems">
            {t('map.noProblems')}
          </Text>
        ) : (
          <Stack gap={4}>
            {problems.slice(0, MAX_PROBLEMS).map((node) => (
              <UnstyledButton
                key={node.id}
                onClick={() => onSelect(node)}
                onDoubleClick={() => onActivate(node)}
                data-testid="map-problem"
                data-node-id={node.id}
              >
                <Group gap={6} wrap="nowrap">
                  <StateBadge node={node} />
                  <Text size="sm" truncate>
                    {node.label}
                  </Text>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        )}
      </Card>
      <Card>
        <Title order={3} size="h6" mb="xs">
          {t('map.legend')}
        </Title>
        <Stack gap={4}>
          {NODE_STATES.map((state) => (
            <Group key={state} gap={8} wrap="nowrap">
              <svg width={14} height={14} aria-hidden>
                <circle
                  cx={7}
                  cy={7}
                  r={6}
                  fill={colorOf(state).background}
                  stroke={colorOf(state).border}
                  strokeDasharray={state === 'suppressed' ? '3 2' : undefined}
                />
              </svg>
              <Text size="sm">{t(`nodeState.${state}`)}</Text>
            </Group>
          ))}
        </Stack>
      </Card>
    </Stack>
  );
}

function StateBadge({ node }: { node: GraphNode }) {
  const { t } = useI18n();
  return (
    <Badge variant="dot" color={nodeStateColor[node.state]} data-state={node.state}>
      {t(`nodeState.${node.state}`)}
    </Badge>
  );
}
