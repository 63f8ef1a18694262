import type { GraphNode, NocGraph } from './graphModel';

/**
 * What every map renderer takes: the SVG view today, vis-network's canvas next. The page
 * computes the graph (buildNocGraph) and handles navigation; a renderer only draws and
 * reports clicks.
 */
export interface GraphViewProps {
  graph: NocGraph;
  /** `grid` for the fleet (groups and clusters), `tree` for one branch's dependency chain. */
  shape: 'grid' | 'tree';
  selectedId: string | null;
  onSelect: (node: GraphNode) => void;
  /** Double-click or Enter: drill into a branch, open a cluster. */
  onActivate: (node: GraphNode) => void;
}
