import { useComputedColorScheme, useDirection } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { DataSet, Network, type Edge, type Node, type Options } from 'vis-network/standalone';
import 'vis-network/styles/vis-network.min.css';
import { useI18n } from '../i18n';
import type { GraphEdge, GraphNode } from './graphModel';
import type { GraphViewProps } from './GraphView';
import { ZoomControls } from './ZoomControls';

/**
 * The map on vis-network's canvas (https://visjs.github.io/vis-network/docs/network/), behind
 * the same props as the SVG view. The graph is already clustered by buildNocGraph, so the
 * canvas holds a few hundred nodes rather than 5,000 (LibreNMS's vis.js map slows down with
 * hundreds, librenms/librenms#16823). Updates go through DataSets, so a refresh recolours
 * nodes in place instead of restarting the layout.
 */
export function VisNetworkView({ graph, shape, selectedId, onSelect, onActivate }: GraphViewProps) {
  const { t } = useI18n();
  const { dir } = useDirection();
  const scheme = useComputedColorScheme('light');
  const container = useRef<HTMLDivElement>(null);
  const network = useRef<{ net: Network; nodes: DataSet<Node>; edges: DataSet<Edge> } | null>(null);
  // The latest graph and callbacks, for event handlers bound once.
  const latest = useRef({ graph, onSelect, onActivate });
  useEffect(() => {
    latest.current = { graph, onSelect, onActivate };
  });

  // One network per shape, direction and scheme: those change options that vis applies badly
  // in place (the hierarchical layout in particular).
  useEffect(() => {
    if (container.current === null) return undefined;
    const nodes = new DataSet<Node>();
    const edges = new DataSet<Edge>();
    const net = new Network(container.current, { nodes, edges }, optionsFor(shape, dir, scheme));
    const find = (id: unknown) => latest.current.graph.nodes.find((n) => n.id === id);
    net.on('click', (params: { nodes: unknown[] }) => {
      const node = find(params.nodes[0]);
      if (node) latest.current.onSelect(node);
    });
    net.on('doubleClick', (params: { nodes: unknown[] }) => {
      const node = find(params.nodes[0]);
      if (node) latest.current.onActivate(node);
    });
    network.current = { net, nodes, edges };
    return () => {
      net.destroy();
      network.current = null;
    };
  }, [shape, dir, scheme]);

  useEffect(() => {
    const current = network.current;
    if (current === null) return;
    sync(current.nodes, graph.nodes.map(toVisNode));
    sync(current.edges, graph.edges.map(toVisEdge));
  }, [graph, shape, dir, scheme]);

  useEffect(() => {
    const current = network.current;
    if (current === null) return;
    current.net.selectNodes(
      selectedId !== null && current.nodes.get(selectedId) ? [selectedId] : [],
    );
  }, [selectedId, graph]);

  const zoom = (factor: number) => {
    const net = network.current?.net;
    if (net)
      net.moveTo({
        scale: net.getScale() * factor,
        animation: { duration: 200, easingFunction: 'easeInOutQuad' },
      });
  };

  return (
    <div style={{ position: 'relative', height: '100%', minHeight: 320 }}>
      <ZoomControls
        onZoomIn={() => zoom(1.5)}
        onZoomOut={() => zoom(1 / 1.5)}
        onFit={() =>
          network.current?.net.fit({
            animation: { duration: 200, easingFunction: 'easeInOutQuad' },
          })
        }
      />
      <div
        ref={container}
        role="img"
        aria-label={t('map.title')}
        data-testid="noc-map-vis"
        data-nodes={graph.nodes.length}
        // vis-network measures and draws in left-to-right coordinates.
        dir="ltr"
        style={{ height: '100%', minHeight: 320 }}
      />
    </div>
  );
}

/** Adds and updates what `items` has, removes what it no longer has. */
function sync<T extends { id?: string | number }>(set: DataSet<T>, items: T[]) {
  const keep = new Set(items.map((item) => item.id));
  const stale = set.getIds().filter((id) => !keep.has(id));
  if (stale.length > 0) set.remove(stale);
  // DataSet's typing wants the full item type with its id; ours always have one.
  set.update(items as Parameters<DataSet<T>['update']>[0]);
}

function toVisNode(node: GraphNode): Node {
  return {
    id: node.id,
    label: node.label,
    title: node.title,
    shape: node.kind === 'group' ? 'box' : 'dot',
    size: node.size,
    color: {
      background: node.color.background,
      border: node.color.border,
      highlight: { background: node.color.background, border: '#4263eb' },
      hover: { background: node.color.background, border: '#4263eb' },
    },
    borderWidth: 2,
    // A group's name sits inside its box: white on the group colour, no halo.
    ...(node.kind === 'group' ? { font: { color: '#ffffff', strokeWidth: 0 } } : {}),
    shapeProperties: { borderDashes: node.state === 'suppressed' ? [4, 3] : false },
    group: node.kind,
  };
}

function toVisEdge(edge: GraphEdge): Edge {
  return {
    id: edge.id,
    from: edge.from,
    to: edge.to,
    label: edge.label,
    title: edge.title,
    dashes: edge.dashes,
    width: edge.kind === 'member' ? 1 : 2,
    color: { color: edge.color, opacity: edge.kind === 'member' ? 0.4 : 0.9 },
    smooth: edge.kind === 'lldp' ? { enabled: true, type: 'curvedCW', roundness: 0.2 } : false,
  };
}

function optionsFor(shape: 'grid' | 'tree', dir: 'ltr' | 'rtl', scheme: 'light' | 'dark'): Options {
  const text = scheme === 'dark' ? '#c9c9c9' : '#212529';
  const ground = scheme === 'dark' ? '#242424' : '#ffffff';
  const common: Options = {
    nodes: { font: { color: text, size: 12, strokeWidth: 3, strokeColor: ground } },
    edges: { font: { color: text, size: 11, strokeWidth: 3, strokeColor: ground, align: 'top' } },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: true },
  };
  if (shape === 'tree') {
    return {
      ...common,
      layout: {
        hierarchical: {
          enabled: true,
          direction: dir === 'rtl' ? 'RL' : 'LR',
          sortMethod: 'directed',
          levelSeparation: 200,
          nodeSpacing: 70,
        },
      },
      physics: false,
    };
  }
  // Fleet: forces settle a few hundred nodes quickly, then stop (no drifting on a wall).
  return {
    ...common,
    layout: { improvedLayout: false },
    physics: {
      solver: 'forceAtlas2Based',
      forceAtlas2Based: { gravitationalConstant: -40, springLength: 80 },
      stabilization: { iterations: 200, fit: true },
    },
  };
}
