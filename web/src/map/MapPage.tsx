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
import { GeoMapView } from './GeoMapView';
import classes from './MapPage.module.css';
import type { Branch, User } from '../api/types';
import { may } from '../session/access';

const GROUPINGS: GroupBy[] = ['tenant', 'region', 'isp', 'none'];

/**
 * `svg`: fixed layout, every node an element; `canvas`: vis-network with forces; `geo`: the
 * branches on country outlines by their coordinates (fleet level only).
 */
type MapView = 'svg' | 'canvas' | 'geo';
const VIEWS: MapView[] = ['svg', 'canvas', 'geo'];

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
export function MapPage({ user }: { user: User }) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow();
  const { query } = useLocation();
  const branchId = query.get('branch');
  const groupBy = groupingOf(query.get('group'));
  const asked = VIEWS.find((v) => v === query.get('view')) ?? 'svg';
  // A branch's devices and links have no coordinates: the geographic view is the fleet's.
  const view: MapView = asked === 'geo' && branchId !== null ? 'svg' : asked;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const readsTickets = may(user, 'tickets.read');
  const fleet = useSource(
    useMemo(() => fleetSource(api, { tickets: readsTickets }), [api, readsTickets]),
  );
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
        // On the world map every branch is a mark of its own; nearby ones cluster by distance.
        ...(view === 'geo'
          ? { groupBy: 'none' as const, clusterThreshold: Infinity }
          : { groupBy }),
        expanded,
      },
      i18n,
    );
  }, [fleet.data, topology.data, branchId, groupBy, expanded, i18n, view]);

  const mapHref = (next: { branch?: string | null; group?: GroupBy; view?: MapView }) =>
    href('/map', {
      group: (next.group ?? groupBy) === 'tenant' ? null : (next.group ?? groupBy),
      view: (next.view ?? asked) === 'svg' ? null : (next.view ?? asked),
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
          {branchId === null && view !== 'geo' && (
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
              navigate(mapHref({ view: VIEWS.find((v) => v === value) ?? 'svg' }), {
                replace: true,
              })
            }
            data={VIEWS.filter((v) => v !== 'geo' || branchId === null).map((v) => ({
              value: v,
              label: t(`map.view.${v}`),
            }))}
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
            <Card p={0} className={classes.mapCard}>
              {view === 'svg' ? (
                <SvgGraphView {...viewProps} />
              ) : view === 'geo' ? (
                <GeoMapView {...viewProps} branches={fleet.data?.branches ?? []} />
              ) : (
                <Suspense
                  fallback={
                    <Center h="100%">
                      <Loader />
                    </Center>
                  }
                >
                  <VisNetworkView {...viewProps} />
                </Suspense>
              )}
            </Card>
            <Text size="xs" c="dimmed" px="xs" pt={4} data-testid="map-hint">
              {view === 'geo' ? t('map.geoHint') : t('map.fixedHint')}{' '}
              {t('map.nodes', { n: graph.nodes.length })}
            </Text>
            {view === 'geo' && <UnplacedBranches branches={fleet.data?.branches ?? []} />}
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

/** The branches the world map cannot place, and where to give them coordinates. */
function UnplacedBranches({ branches }: { branches: Branch[] }) {
  const { t, locale } = useI18n();
  const unplaced = branches.filter((b) => b.latitude === null || b.longitude === null);
  if (unplaced.length === 0) return null;
  const text =
    unplaced.length === branches.length
      ? t('map.geoNone')
      : t(
          new Intl.PluralRules(locale).select(unplaced.length) === 'one'
            ? 'map.geoUnplaced.one'
            : 'map.geoUnplaced.other',
          {
            n: unplaced.length,
            names: unplaced
              .slice(0, 5)
              .map((b) => b.name)
              .join(t('admin.listSeparator')),
          },
        );
  return (
    <Alert color="gray" mt="xs" data-testid="map-unplaced">
      <Group gap="sm" justify="space-between">
        <Text size="sm">{text}</Text>
        <Button size="xs" variant="light" component="a" {...linkTo('/admin/branches')}>
          {t('map.geoSetCoordinates')}
        </Button>
      </Group>
    </Alert>
  );
}
