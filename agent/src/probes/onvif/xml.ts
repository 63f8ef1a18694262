/**
 * Just enough XML reading for the probe: the text of elements by local name, whatever namespace
 * prefix a device chose. The agent has no XML parser of its own, and the answers read here
 * (device information, faults, ProbeMatches) are flat text elements.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()]!;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });
}

const elementPattern = (name: string) =>
  new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${name}>`, 'g');

/** Decoded, trimmed text of every element with this local name, in document order. */
export function elementTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(elementPattern(name))].map((m) => decodeEntities(m[1]!).trim());
}

/** The first such text, or null when absent or empty. */
export function elementText(xml: string, name: string): string | null {
  const text = elementTexts(xml, name)[0];
  return text ? text : null;
}
