import { useDirection } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../i18n';
import type { GraphEdge, GraphNode } from './graphModel';
import type { GraphViewProps } from './GraphView';
import { layoutGraph, type Point } from './layout';
import { usePanZoom } from './usePanZoom';
import { ZoomControls } from './ZoomControls';
import { NodeMark, type NodeMarkProps } from './NodeMark';
import classes from './SvgGraphView.module.css';

const MAX_LABEL = 18;

/**
 * The map as plain SVG on a fixed layout: no physics, so it is fast with the few hundred nodes
 * a clustered fleet has, stable between refreshes, and every node is an element with its state
 * in `data-state` (tests and screen readers can see it, unlike a canvas). It fills its frame;
 * the wheel, a drag and the zoom buttons move the view. Every branch is tied to its group (the
 * tenant, region or ISP) by a faint line, so the group is read as a node of its own.
 */
export function SvgGraphView({ graph, shape, selectedId, onSelect, onActivate }: GraphViewProps) {
  const { t } = useI18n();
  const { dir } = useDirection();
  const { ref, width: measuredW, height: measuredH } = useElementSize();
  const width = Math.max(320, Math.floor(measuredW) || 960);
  const height = Math.max(240, Math.floor(measuredH) || 480);
  // The grid's columns follow the frame's width; pan and zoom do the rest.
  const layout = useMemo(() => layoutGraph(graph, shape, width), [graph, shape, width]);
  const bounds = useMemo(
    () => ({ x: 0, y: 0, width: layout.width, height: layout.height }),
    [layout.width, layout.height],
  );
  const panZoom = usePanZoom(bounds, width, height, {
    fit: { maxK: 1.5, widthOnly: shape === 'grid' },
  });
  // Stable handlers, so the memoised nodes do not all render again when the page does (it
  // ticks every second for "updated … ago"; 5,000 nodes each time is what made a large map slow).
  const handlers = useRef({ onSelect, onActivate });
  useEffect(() => {
    handlers.current = { onSelect, onActivate };
  });
  const select = useCallback((node: GraphNode) => handlers.current.onSelect(node), []);
  const activate = useCallback((node: GraphNode) => handlers.current.onActivate(node), []);
  // Layout is left-to-right; in Persian the chain starts on the right.
  const at = (id: string): Point | undefined => {
    const p = layout.positions.get(id);
    return p && dir === 'rtl' ? { x: layout.width - p.x, y: p.y } : p;
  };
  const { view } = panZoom;

  return (
    <div ref={ref} className={classes.frame}>
      <ZoomControls onZoomIn={panZoom.zoomIn} onZoomOut={panZoom.zoomOut} onFit={panZoom.fit} />
      <svg
        width="100%"
        height="100%"
        role="group"
        aria-label={t('map.title')}
        data-testid="noc-map"
        data-shape={shape}
        data-nodes={graph.nodes.length}
        data-zoom={view.k.toFixed(3)}
        className={classes.canvas}
        {...panZoom.handlers}
      >
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
          <g>
            {graph.edges.map((edge) => (
              <Edge key={edge.id} edge={edge} from={at(edge.from)} to={at(edge.to)} />
            ))}
          </g>
          <g>
            {graph.nodes.map((node) => {
              const p = at(node.id);
              return p ? (
                <Node
                  key={node.id}
                  node={node}
                  x={p.x}
                  y={p.y}
                  selected={node.id === selectedId}
                  stateLabel={t(`nodeState.${node.state}`)}
                  onSelect={select}
                  onActivate={activate}
                />
              ) : null;
            })}
          </g>
        </g>
      </svg>
    </div>
  );
}

function Edge({ edge, from, to }: { edge: GraphEdge; from?: Point; to?: Point }) {
  if (!from || !to) return null;
  // LLDP links bow sideways, so one lying along a dependency line stays visible; the label
  // sits on the curve's middle (a quadratic Bézier's midpoint is ¼ P0 + ½ C + ¼ P2).
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  const bow = edge.kind === 'lldp' ? 36 : 0;
  // A group's lines to its members arc over the row they run along, so they pass above the
  // branches between rather than through them.
  const lift = edge.kind === 'member' ? 0.12 * length + 8 : 0;
  const control = {
    x: (from.x + to.x) / 2 - (dy / length) * bow,
    y: (from.y + to.y) / 2 + (dx / length) * bow - lift,
  };
  const mid = {
    x: (from.x + to.x) / 4 + control.x / 2,
    y: (from.y + to.y) / 4 + control.y / 2,
  };
  const path = `M${from.x},${from.y} Q${control.x},${control.y} ${to.x},${to.y}`;
  return (
    <g data-testid="map-edge" data-edge-kind={edge.kind} data-state={edge.state}>
      <path
        d={path}
        fill="none"
        stroke={edge.color}
        strokeWidth={edge.kind === 'member' ? 1 : 2}
        strokeDasharray={edge.dashes ? '6 4' : undefined}
        opacity={edge.kind === 'member' ? 0.45 : 0.9}
      >
        {edge.title && <title>{edge.title}</title>}
      </path>
      {edge.label && (
        <text
          className={classes.edgeLabel}
          x={mid.x + (edge.kind === 'lldp' ? 6 : 0)}
          y={mid.y - (edge.kind === 'lldp' ? 0 : 6)}
          textAnchor={edge.kind === 'lldp' ? 'start' : 'middle'}
          direction="ltr"
          data-testid="map-edge-label"
        >
          {edge.label}
        </text>
      )}
    </g>
  );
}

const Node = memo(function Node(props: NodeMarkProps) {
  const { node } = props;
  const r = node.size;
  const label =
    node.label.length > MAX_LABEL ? `${node.label.slice(0, MAX_LABEL - 1)}…` : node.label;
  const shape =
    node.kind === 'group' ? (
      <rect
        className={classes.shape}
        x={-r}
        y={-r * 0.7}
        width={r * 2}
        height={r * 1.4}
        rx={4}
        fill={node.color.background}
        stroke={node.color.border}
        strokeWidth={2}
      />
    ) : (
      <circle
        className={classes.shape}
        r={r}
        fill={node.color.background}
        stroke={node.color.border}
        strokeWidth={2}
        strokeDasharray={node.state === 'suppressed' ? '4 3' : undefined}
      />
    );
  return (
    <NodeMark {...props}>
      {shape}
      {node.count !== undefined && node.kind === 'cluster' && (
        <text className={classes.count} textAnchor="middle" dy="0.35em">
          {node.count}
        </text>
      )}
      <text className={classes.label} textAnchor="middle" y={r + 14}>
        {label}
      </text>
    </NodeMark>
  );
});
