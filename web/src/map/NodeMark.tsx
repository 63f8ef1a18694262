import type { ReactNode } from 'react';
import type { GraphNode } from './graphModel';
import classes from './SvgGraphView.module.css';

/** Where a node is drawn and what it does when pointed at, for both SVG views of the map. */
export interface NodeMarkProps {
  node: GraphNode;
  x: number;
  y: number;
  selected: boolean;
  stateLabel: string;
  onSelect: (node: GraphNode) => void;
  onActivate: (node: GraphNode) => void;
}

/**
 * A node of the map as a button: a click or Space selects it (its side panel), a double click
 * or Enter opens it; its name and state are its accessible name and its tooltip. The view
 * draws its shape (`children`).
 */
export function NodeMark({
  node,
  x,
  y,
  selected,
  stateLabel,
  onSelect,
  onActivate,
  children,
}: NodeMarkProps & { children: ReactNode }) {
  return (
    <g
      className={`${classes.node} ${selected ? classes.selected : ''}`}
      transform={`translate(${x},${y})`}
      role="button"
      tabIndex={0}
      aria-label={`${node.label}: ${stateLabel}`}
      aria-pressed={selected}
      data-testid="map-node"
      data-node-id={node.id}
      data-kind={node.kind}
      data-state={node.state}
      onClick={() => onSelect(node)}
      onDoubleClick={() => onActivate(node)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onActivate(node);
        else if (event.key === ' ') {
          event.preventDefault();
          onSelect(node);
        }
      }}
    >
      <title>{`${node.title}\n${stateLabel}`}</title>
      {children}
    </g>
  );
}
