import { Fragment, type ReactNode } from 'react';

/**
 * A translated sentence whose placeholders (`{who}`, `{new}`) are filled with names, labels
 * and values, each in its own `<bdi>`: a Latin username or a ticket number inside Persian
 * prose keeps its own direction and does not pull the punctuation around it. A placeholder
 * without a value stays visible as written.
 */
export function Sentence({
  template,
  vars,
  strong = [],
}: {
  template: string;
  vars: Record<string, ReactNode>;
  /** Placeholders whose values stand out (the names and values a line is about). */
  strong?: readonly string[];
}) {
  return (
    <>
      {template.split(/(\{\w+\})/).map((piece, i) => {
        const name = /^\{(\w+)\}$/.exec(piece)?.[1];
        const value = name === undefined ? undefined : vars[name];
        if (value === undefined) return <Fragment key={i}>{piece}</Fragment>;
        return (
          <bdi key={i} style={strong.includes(name!) ? { fontWeight: 600 } : undefined}>
            {value}
          </bdi>
        );
      })}
    </>
  );
}
