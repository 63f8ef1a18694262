import type { ReactNode } from 'react';

/**
 * The frame of every inline icon (the header's and the portal's): a 24-unit box drawn in the
 * text's colour with round 2-unit strokes, hidden from screen readers (the button names it).
 */
export function Glyph({ size, children }: { size: number; children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden
    >
      {children}
    </svg>
  );
}
