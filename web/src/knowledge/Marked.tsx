import { Mark } from '@mantine/core';
import type { Marked as Segments } from './knowledgeApi';

/** A title or passage from the hub's search, the words that matched marked. */
export function Marked({ segments }: { segments: Segments }) {
  return (
    <>
      {segments.map((s, i) =>
        s.mark ? (
          <Mark key={i} data-testid="kb-mark">
            {s.text}
          </Mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
