import type { GraphNode, NodeState } from './graphModel';
import { worstState } from './graphModel';
import type { Bounds, ViewTransform } from './usePanZoom';

/** A branch placed on the drawing: its node and where its coordinates project to. */
export interface PlacedBranch {
  node: GraphNode;
  /** Drawing coordinates (before the view's pan and zoom). */
  x: number;
  y: number;
}

/** What the geographic map draws at one spot: one branch, or several too close to tell apart. */
export interface GeoMark {
  id: string;
  /** Screen position (after pan and zoom). */
  sx: number;
  sy: number;
  members: PlacedBranch[];
  state: NodeState;
}

const SEVERITY: Record<NodeState, number> = {
  failing: 6,
  degraded: 5,
  flapping: 4,
  stale: 3,
  suppressed: 2,
  unknown: 1,
  ok: 0,
};

/**
 * Groups branches whose marks would overlap at the current zoom (closer than `radius` screen
 * pixels) into one mark, coloured by its worst member. Worst branches go first, so a failing
 * branch is the centre of its group, never hidden at its edge. Zooming in splits groups.
 */
export function clusterMarks(
  placed: readonly PlacedBranch[],
  view: ViewTransform,
  radius = 22,
): GeoMark[] {
  const order = [...placed].sort(
    (a, b) =>
      SEVERITY[b.node.state] - SEVERITY[a.node.state] || a.node.label.localeCompare(b.node.label),
  );
  const marks: { sx: number; sy: number; members: PlacedBranch[] }[] = [];
  for (const p of order) {
    const sx = view.k * p.x + view.x;
    const sy = view.k * p.y + view.y;
    const near = marks.find((m) => Math.hypot(m.sx - sx, m.sy - sy) < radius);
    if (near) near.members.push(p);
    else marks.push({ sx, sy, members: [p] });
  }
  return marks.map((m) => ({
    id: m.members.length === 1 ? m.members[0]!.node.id : `geo:${m.members[0]!.node.id}`,
    sx: m.sx,
    sy: m.sy,
    members: m.members,
    state: worstState(m.members.map((p) => p.node.state)),
  }));
}

/** The drawing area that holds `placed`, at least `minSize` across (one branch: its region). */
export function boundsOf(placed: readonly { x: number; y: number }[], minSize: number): Bounds {
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const width = Math.max(x1 - x0, minSize);
  const height = Math.max(y1 - y0, minSize);
  return { x: (x0 + x1) / 2 - width / 2, y: (y0 + y1) / 2 - height / 2, width, height };
}
