import { Center, Loader, useComputedColorScheme } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { geoMercator, geoPath } from 'd3-geo';
import { memo, useEffect, useMemo, useState } from 'react';
import type { Branch } from '../api/types';
import { useI18n } from '../i18n';
import { clusterMarks, boundsOf, type GeoMark, type PlacedBranch } from './geoClusters';
import type { GraphNode } from './graphModel';
import { colorOf, emptyCounts } from './graphModel';
import type { GraphViewProps } from './GraphView';
import classes from './SvgGraphView.module.css';
import { usePanZoom } from './usePanZoom';
import { ZoomControls } from './ZoomControls';
import { NodeMark, type NodeMarkProps } from './NodeMark';

/** The drawing is a Mercator world 1,000 units wide; pan and zoom move the view over it. */
const WORLD = 1000;
const projection = geoMercator()
  .scale(WORLD / (2 * Math.PI))
  .translate([WORLD / 2, WORLD / 2]);
/** One branch alone is shown with its surroundings: about 4° of longitude. */
const MIN_SPAN = (WORLD / 360) * 4;

let outlines: Promise<string[]> | null = null;

/**
 * Country outlines from Natural Earth (public domain) through world-atlas's TopoJSON, shipped
 * in the web build and loaded only by this view: no tile server, the hub works offline
 * (docs/decisions.md, "The geographic map").
 */
function countryPaths(): Promise<string[]> {
  outlines ??= Promise.all([
    import('world-atlas/countries-50m.json'),
    import('topojson-client'),
  ]).then(([atlas, topojson]) => {
    const topology = atlas.default as unknown as Parameters<typeof topojson.feature>[0];
    const objects = (topology as { objects: Record<string, unknown> }).objects;
    const countries = topojson.feature(
      topology,
      objects.countries as Parameters<typeof topojson.feature>[1],
    ) as unknown as GeoJSON.FeatureCollection;
    const path = geoPath(projection);
    return (
      countries.features
        // Antarctica's Mercator shape fills the bottom of the world with nothing anyone watches.
        .filter((f) => f.id !== '010')
        .map((f) => path(f) ?? '')
        .filter((d) => d !== '')
    );
  });
  return outlines;
}

export interface GeoMapViewProps extends Omit<GraphViewProps, 'shape'> {
  branches: Branch[];
}

/**
 * Branches placed by their coordinates on country outlines, coloured by state. Branches too
 * close to tell apart at the current zoom are one numbered circle (coloured by the worst of
 * them); a click on it zooms in until they separate.
 */
export function GeoMapView({ graph, branches, selectedId, onSelect, onActivate }: GeoMapViewProps) {
  const { t } = useI18n();
  const scheme = useComputedColorScheme('light');
  const { ref, width: measuredW, height: measuredH } = useElementSize();
  const width = Math.max(320, Math.floor(measuredW) || 960);
  const height = Math.max(240, Math.floor(measuredH) || 480);
  const [paths, setPaths] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    void countryPaths().then((p) => live && setPaths(p));
    return () => {
      live = false;
    };
  }, []);

  const placed = useMemo(() => placeBranches(graph.nodes, branches), [graph.nodes, branches]);
  const bounds = useMemo(
    () =>
      placed.length === 0
        ? { x: 0, y: 150, width: WORLD, height: 600 }
        : boundsOf(placed, MIN_SPAN),
    [placed],
  );
  // Close enough to tell a city's branches apart; room at the edges for their names.
  const panZoom = usePanZoom(bounds, width, height, { maxK: 4000, fit: { pad: 72, maxK: 400 } });
  const { view } = panZoom;
  const marks = useMemo(() => clusterMarks(placed, view), [placed, view]);
  const land = scheme === 'dark' ? '#3b3f45' : '#e9ecef';
  const border = scheme === 'dark' ? '#5c636a' : '#adb5bd';

  return (
    <div ref={ref} className={classes.frame} dir="ltr">
      <ZoomControls onZoomIn={panZoom.zoomIn} onZoomOut={panZoom.zoomOut} onFit={panZoom.fit} />
      {paths === null && (
        <Center pos="absolute" inset={0}>
          <Loader />
        </Center>
      )}
      <svg
        width="100%"
        height="100%"
        role="group"
        aria-label={t('map.geoTitle')}
        data-testid="noc-map-geo"
        data-zoom={view.k.toFixed(3)}
        data-marks={marks.length}
        className={classes.canvas}
        {...panZoom.handlers}
      >
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
          {paths?.map((d, i) => (
            <path
              key={i}
              d={d}
              fill={land}
              stroke={border}
              strokeWidth={0.6}
              vectorEffect="non-scaling-stroke"
            />
          ))}
        </g>
        {marks.map((mark) =>
          mark.members.length === 1 ? (
            <BranchMark
              key={mark.id}
              node={mark.members[0]!.node}
              x={mark.sx}
              y={mark.sy}
              selected={mark.members[0]!.node.id === selectedId}
              stateLabel={t(`nodeState.${mark.state}`)}
              onSelect={onSelect}
              onActivate={onActivate}
            />
          ) : (
            <ClusterMark
              key={mark.id}
              mark={mark}
              label={t('map.geoCluster', {
                n: mark.members.length,
                counts: t('map.clusterCounts', countsOf(mark)),
              })}
              onOpen={() => panZoom.show(boundsOf(mark.members, MIN_SPAN / 8))}
            />
          ),
        )}
      </svg>
    </div>
  );
}

/** The branches with coordinates, in drawing coordinates, with their map nodes. */
export function placeBranches(nodes: readonly GraphNode[], branches: Branch[]): PlacedBranch[] {
  const byId = new Map(branches.map((b) => [b.id, b]));
  return nodes.flatMap((node) => {
    const branch = node.kind === 'branch' ? byId.get(node.ref.branchId ?? '') : undefined;
    if (!branch || branch.latitude === null || branch.longitude === null) return [];
    const point = projection([branch.longitude, branch.latitude]);
    return point ? [{ node, x: point[0], y: point[1] }] : [];
  });
}

function countsOf(mark: GeoMark) {
  const counts = emptyCounts();
  for (const m of mark.members) counts[m.node.state] += 1;
  return { ok: counts.ok, failing: counts.failing + counts.flapping, unknown: counts.unknown };
}

const BranchMark = memo(function BranchMark(props: NodeMarkProps) {
  const color = colorOf(props.node.state);
  return (
    <NodeMark {...props}>
      <circle
        className={classes.shape}
        r={8}
        fill={color.background}
        stroke={color.border}
        strokeWidth={2}
      />
      <text className={classes.label} textAnchor="middle" y={22}>
        {props.node.label}
      </text>
    </NodeMark>
  );
});

function ClusterMark({
  mark,
  label,
  onOpen,
}: {
  mark: GeoMark;
  label: string;
  onOpen: () => void;
}) {
  const color = colorOf(mark.state);
  const r = Math.round(12 + 3 * Math.log2(mark.members.length));
  return (
    <g
      className={classes.node}
      transform={`translate(${mark.sx},${mark.sy})`}
      role="button"
      tabIndex={0}
      aria-label={label}
      data-testid="map-geo-cluster"
      data-state={mark.state}
      data-count={mark.members.length}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen();
        }
      }}
    >
      <title>{label}</title>
      <circle
        className={classes.shape}
        r={r}
        fill={color.background}
        stroke={color.border}
        strokeWidth={3}
        opacity={0.9}
      />
      <text className={classes.count} textAnchor="middle" dy="0.35em">
        {mark.members.length}
      </text>
    </g>
  );
}
