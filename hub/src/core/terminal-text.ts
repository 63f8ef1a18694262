/**
 * Text for a terminal: its words in lines of at most `width` columns, the first line after
 * `lead`, the others indented under the first word. A word longer than a line (a path, a URL)
 * stays whole on a line of its own.
 */
export function wrapForTerminal(lead: string, text: string, width = 96): string[] {
  const indent = ' '.repeat(lead.length);
  const lines: string[] = [];
  let line = lead;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const empty = line === lead || line === indent;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line += (empty ? '' : ' ') + word;
  }
  return [...lines, line];
}
