import {
  Alert,
  Button,
  Card,
  Center,
  EmptyState,
  Grid,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { href, linkTo, navigate, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { fleetSource } from '../live/fleet';
import { pollingSource, useSource } from '../live/source';
import { buildNocGraph } from './buildNocGraph';
import type { GraphNode, GroupBy } from './graphModel';
import { MapSidePanel } from './MapSidePanel';
import { parentLinksApi, type ParentLink } from './parentLinks';
import { SvgGraphView } from './SvgGraphView';

const GROUPINGS: GroupBy[] = ['tenant', 'region', 'isp', 'none'];

/** `svg`: fixed layout, every node an element; `canvas`: vis-network with forces. */
type MapView = 'svg' | 'canvas';

// vis-network is large; only those who pick the canvas view load it.
const VisNetworkView = lazy(() =>
  import('./VisNetworkView').then((module) => ({ default: module.VisNetworkView })),
);
const TOPOLOGY_REFRESH_MS = 30_000;

function groupingOf(value: string | null): GroupBy {
  return GROUPINGS.find((g) => g === value) ?? 'tenant';
}

/**
 * The NOC map: every branch coloured by state, grouped and clustered (`/map?group=…`); a
 * branch's agents, WAN link, devices and LLDP links (`/map?branch=<id>`).
 */
export function MapPage() {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  const { query } = useLocation();
  const branchId = query.get('branch');
  const groupBy = groupingOf(query.get('group'));
  const view: MapView = query.get('view') === 'canvas' ? 'canvas' : 'svg';
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const fleet = useSource(useMemo(() => fleetSource(api), [api]));
  const topology = useSource(
    useMemo(
      () =>
        branchId === null
          ? null
          : pollingSource(async () => {
              // Parent links draw the hand-made part of the dependency chain; a person who may
              // not read them still sees the rest of the map.
              const [topology, parentLinks] = await Promise.all([
                api.topology(branchId),
                parentLinksApi(api)
                  .list()
                  .catch((): ParentLink[] => []),
              ]);
              return { topology, parentLinks };
            }, TOPOLOGY_REFRESH_MS),
      [api, branchId],
    ),
  );

  const graph = useMemo(() => {
    if (fleet.data === null) return null;
    return buildNocGraph(
      {
        ...fleet.data,
        topology: topology.data?.topology ?? null,
        parentLinks: topology.data?.parentLinks ?? [],
        level: branchId === null ? 'fleet' : { branch: branchId },
        groupBy,
        expanded,
      },
      i18n,
    );
  }, [fleet.data, topology.data, branchId, groupBy, expanded, i18n]);

  const mapHref = (next: { branch?: string | null; group?: GroupBy; view?: MapView }) =>
    href('/map', {
      group: (next.group ?? groupBy) === 'tenant' ? null : (next.group ?? groupBy),
      view: (next.view ?? view) === 'svg' ? null : 'canvas',
      branch: next.branch === undefined ? branchId : next.branch,
    });

  const activate = (node: GraphNode) => {
    setSelectedId(node.id);
    if (node.kind === 'cluster') {
      setExpanded((open) => new Set([...open, node.group ?? '']));
    } else if (node.kind === 'branch' && branchId === null && node.ref.branchId) {
      setSelectedId(null);
      navigate(mapHref({ branch: node.ref.branchId }));
    } else if (node.ref.checkId && branchId !== null) {
      navigate(href(`/branches/${encodeURIComponent(branchId)}`, { check: node.ref.checkId }));
    } else if (node.kind === 'branch' && node.ref.branchId) {
      navigate(href(`/branches/${encodeURIComponent(node.ref.branchId)}`));
    }
  };
  const select = (node: GraphNode) => {
    if (node.kind === 'cluster') activate(node);
    else setSelectedId(node.id);
  };

  if (graph === null) {
    return fleet.error === null ? (
      <Center py="xl">
        <Loader />
      </Center>
    ) : (
      <Alert color="red" title={t('map.loadFailed')} role="alert">
        {describeError(fleet.error, i18n)}
      </Alert>
    );
  }

  const branch = branchId === null ? null : fleet.data?.branches.find((b) => b.id === branchId);
  const selected = graph.nodes.find((n) => n.id === selectedId) ?? null;
  const updated = formatRelative(
    fleet.fetchedAt === null ? null : new Date(fleet.fetchedAt).toISOString(),
    now,
    i18n,
  );

  const viewProps = {
    graph,
    shape: branchId === null ? ('grid' as const) : ('tree' as const),
    selectedId,
    onSelect: select,
    onActivate: activate,
  };

  return (
    <Stack gap="md" data-testid="map-page" data-level={branchId === null ? 'fleet' : 'branch'}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Title order={2} size="h4">
            {branch ? branch.name : t('map.title')}
          </Title>
          {branchId !== null && (
            <Button
              variant="default"
              size="xs"
              {...linkTo(mapHref({ branch: null }))}
              component="a"
              data-testid="map-back"
            >
              {t('map.back')}
            </Button>
          )}
          {branch && (
            <Button
              size="xs"
              component="a"
              {...linkTo(href(`/branches/${encodeURIComponent(branch.id)}`))}
              data-testid="map-open-branch"
            >
              {t('map.openBranch')}
            </Button>
          )}
        </Group>
        <Group gap="sm" wrap="wrap">
          {branchId === null && (
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                {t('map.groupBy')}
              </Text>
              <SegmentedControl
                size="xs"
                value={groupBy}
                onChange={(value) =>
                  navigate(mapHref({ group: groupingOf(value) }), { replace: true })
                }
                data={GROUPINGS.map((g) => ({ value: g, label: t(`map.groupBy.${g}`) }))}
                data-testid="map-group-by"
              />
            </Group>
          )}
          <SegmentedControl
            size="xs"
            aria-label={t('map.view')}
            value={view}
            onChange={(value) =>
              navigate(mapHref({ view: value === 'canvas' ? 'canvas' : 'svg' }), { replace: true })
            }
            data={[
              { value: 'svg', label: t('map.view.svg') },
              { value: 'canvas', label: t('map.view.canvas') },
            ]}
            data-testid="map-view"
          />
          {expanded.size > 0 && branchId === null && (
            <Button variant="subtle" size="xs" onClick={() => setExpanded(new Set())}>
              {t('map.collapse')}
            </Button>
          )}
          <Text size="xs" c="dimmed" data-testid="map-updated">
            {t('overview.updated', { when: updated })}
          </Text>
        </Group>
      </Group>
      {fleet.error !== null && (
        <Alert color="yellow" title={t('overview.refreshFailed')} role="status">
          {describeError(fleet.error, i18n)}
        </Alert>
      )}
      {graph.nodes.length === 0 ? (
        <Card>
          <EmptyState
            title={t('map.empty')}
            description={t('map.emptyHelp')}
            data-testid="map-empty"
          />
        </Card>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 9 }}>
            <Card p="xs">
              {view === 'svg' ? (
                <SvgGraphView {...viewProps} />
              ) : (
                <Suspense
                  fallback={
                    <Center h={360}>
                      <Loader />
                    </Center>
                  }
                >
                  <VisNetworkView {...viewProps} />
                </Suspense>
              )}
              <Text size="xs" c="dimmed" px="xs">
                {t('map.hint')} {t('map.nodes', { n: graph.nodes.length })}
              </Text>
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 3 }}>
            <MapSidePanel
              graph={graph}
              selected={selected}
              atBranch={branchId !== null}
              onSelect={(node) => setSelectedId(node.id)}
              onActivate={activate}
            />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
