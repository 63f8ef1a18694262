import type { GraphNode, NocGraph } from './graphModel';

export interface Point {
  x: number;
  y: number;
}

export interface GraphLayout {
  positions: Map<string, Point>;
  width: number;
  height: number;
}

const CELL_W = 128;
const CELL_H = 92;
const MARGIN = 48;
const TREE_COL = 200;
const TREE_ROW = 72;

/**
 * Where the SVG view puts each node, without a force simulation (fast and stable on a wall
 * screen: nothing drifts between refreshes). Fleet level: one band per group, its cluster and
 * branches on a grid. Branch level: the dependency chain as a tree, root at the start.
 * Coordinates are left-to-right; the view mirrors them for right-to-left.
 */
export function layoutGraph(graph: NocGraph, shape: 'grid' | 'tree', width: number): GraphLayout {
  return shape === 'tree' ? treeLayout(graph.nodes) : gridLayout(graph.nodes, width);
}

function gridLayout(nodes: GraphNode[], width: number): GraphLayout {
  const positions = new Map<string, Point>();
  const hasGroups = nodes.some((n) => n.kind === 'group');
  const start = hasGroups ? MARGIN + CELL_W + 16 : MARGIN;
  const columns = Math.max(1, Math.floor((width - start - MARGIN / 2) / CELL_W));
  let row = 0;
  let column = 0;
  for (const node of nodes) {
    if (node.kind === 'group') {
      // A new band; its members start on the group's own row.
      if (positions.size > 0) row += 1;
      column = 0;
      positions.set(node.id, { x: MARGIN + CELL_W / 2 - 16, y: MARGIN + row * CELL_H });
      continue;
    }
    if (column >= columns) {
      column = 0;
      row += 1;
    }
    positions.set(node.id, { x: start + column * CELL_W + CELL_W / 2, y: MARGIN + row * CELL_H });
    column += 1;
  }
  const rows = nodes.length === 0 ? 0 : row + 1;
  return { positions, width, height: MARGIN + rows * CELL_H };
}

function treeLayout(nodes: GraphNode[]): GraphLayout {
  const ids = new Set(nodes.map((n) => n.id));
  const children = new Map<string, GraphNode[]>();
  const roots: GraphNode[] = [];
  for (const node of nodes) {
    if (node.parent !== null && ids.has(node.parent)) {
      const list = children.get(node.parent) ?? [];
      list.push(node);
      children.set(node.parent, list);
    } else {
      roots.push(node);
    }
  }
  const positions = new Map<string, Point>();
  let nextRow = 0;
  let maxDepth = 0;
  const place = (node: GraphNode, depth: number): number => {
    maxDepth = Math.max(maxDepth, depth);
    const kids = children.get(node.id) ?? [];
    let y: number;
    if (kids.length === 0 || positions.has(node.id)) {
      y = MARGIN + nextRow * TREE_ROW;
      nextRow += 1;
    } else {
      // Placed before its children are, so a cycle in bad data cannot recurse forever.
      positions.set(node.id, { x: 0, y: 0 });
      const ys = kids.map((kid) => place(kid, depth + 1));
      y = (Math.min(...ys) + Math.max(...ys)) / 2;
    }
    positions.set(node.id, { x: MARGIN + 40 + depth * TREE_COL, y });
    return y;
  };
  for (const root of roots) place(root, 0);
  return {
    positions,
    width: MARGIN * 2 + 80 + maxDepth * TREE_COL + 120,
    height: MARGIN + Math.max(1, nextRow) * TREE_ROW,
  };
}
