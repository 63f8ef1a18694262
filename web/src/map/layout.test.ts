import { describe, expect, it } from 'vitest';
import { colorOf, type GraphNode, type NodeKind } from './graphModel';
import { layoutGraph } from './layout';

function node(id: string, kind: NodeKind, parent: string | null = null): GraphNode {
  return {
    id,
    kind,
    label: id,
    state: 'ok',
    ownState: 'ok',
    color: colorOf('ok'),
    size: 10,
    title: id,
    group: null,
    parent,
    ref: {},
  };
}

describe('layoutGraph', () => {
  it('puts each group on its own band and wraps its members on a grid', () => {
    const nodes = [
      node('group:a', 'group'),
      node('b1', 'branch'),
      node('b2', 'branch'),
      node('b3', 'branch'),
      node('group:b', 'group'),
      node('b4', 'branch'),
    ];
    // 48 + 144 start, 128 per cell: two columns in 500 px.
    const { positions, height } = layoutGraph({ nodes, edges: [], clusters: [] }, 'grid', 500);
    const at = (id: string) => positions.get(id);
    expect(at('group:a')).toEqual({ x: 96, y: 48 });
    expect(at('b1')).toEqual({ x: 256, y: 48 });
    expect(at('b2')).toEqual({ x: 384, y: 48 });
    expect(at('b3')).toEqual({ x: 256, y: 140 });
    expect(at('group:b')).toEqual({ x: 96, y: 232 });
    expect(at('b4')).toEqual({ x: 256, y: 232 });
    expect(height).toBe(48 + 3 * 92);
  });

  it('lays the dependency chain out as a tree, parents centred on their children', () => {
    const nodes = [
      node('root', 'branch'),
      node('agent', 'agent', 'root'),
      node('wan', 'wan', 'agent'),
      node('d1', 'device', 'wan'),
      node('d2', 'device', 'wan'),
    ];
    const { positions } = layoutGraph({ nodes, edges: [], clusters: [] }, 'tree', 800);
    expect(Object.fromEntries(positions)).toEqual({
      root: { x: 88, y: 84 },
      agent: { x: 288, y: 84 },
      wan: { x: 488, y: 84 },
      d1: { x: 688, y: 48 },
      d2: { x: 688, y: 120 },
    });
  });
});
