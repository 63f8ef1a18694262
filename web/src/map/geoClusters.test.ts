import { describe, expect, it } from 'vitest';
import { boundsOf, clusterMarks, type PlacedBranch } from './geoClusters';
import { colorOf, type GraphNode, type NodeState } from './graphModel';
import { fitTransform, zoomAround } from './usePanZoom';

function placed(id: string, x: number, y: number, state: NodeState = 'ok'): PlacedBranch {
  const node: GraphNode = {
    id: `branch:${id}`,
    kind: 'branch',
    label: id,
    state,
    ownState: state,
    color: colorOf(state),
    size: 10,
    title: id,
    group: null,
    parent: null,
    ref: { branchId: id },
  };
  return { node, x, y };
}

describe('the geographic map', () => {
  const tehran = [placed('hq', 100, 100), placed('azadi', 100.3, 100.2, 'failing')];
  const paris = placed('paris', 40, 60);

  it('folds branches too close to tell apart into one mark, coloured by the worst', () => {
    const far = clusterMarks([...tehran, paris], { k: 1, x: 0, y: 0 });
    expect(far.map((m) => [m.members.length, m.state])).toEqual([
      [2, 'failing'],
      [1, 'ok'],
    ]);
    // The failing branch is the centre of its group.
    expect(far[0]).toMatchObject({ sx: 100.3, sy: 100.2 });
    // Zoomed in far enough, Tehran's two branches separate.
    const near = clusterMarks([...tehran, paris], { k: 200, x: 0, y: 0 });
    expect(near.map((m) => m.members.length)).toEqual([1, 1, 1]);
    expect(near.map((m) => m.id)).toEqual(['branch:azadi', 'branch:hq', 'branch:paris']);
  });

  it('fits the branches in the frame, one alone with its surroundings', () => {
    const all = boundsOf([...tehran, paris], 10);
    expect(all.x).toBeCloseTo(40);
    expect(all.y).toBeCloseTo(60);
    expect([all.width, all.height]).toEqual([60.3, 40.2]);
    const view = fitTransform(all, 800, 600, { pad: 50, maxK: 400 });
    // The area's centre lands in the frame's centre.
    expect(view.k * (all.x + all.width / 2) + view.x).toBeCloseTo(400);
    expect(view.k * (all.y + all.height / 2) + view.y).toBeCloseTo(300);
    expect(view.k).toBeCloseTo(700 / 60.3);
    expect(boundsOf([paris], 10)).toEqual({ x: 35, y: 55, width: 10, height: 10 });
  });

  it('zooms around the pointer and keeps a tall grid readable on a phone', () => {
    const zoomed = zoomAround({ k: 1, x: 0, y: 0 }, 2, 100, 50);
    expect(zoomed).toEqual({ k: 2, x: -100, y: -50 });
    const tall = fitTransform({ x: 0, y: 0, width: 300, height: 2000 }, 358, 600, {
      widthOnly: true,
      maxK: 1.5,
    });
    expect(tall.k).toBeCloseTo((358 - 48) / 300);
    expect(tall.y).toBe(24);
  });
});
