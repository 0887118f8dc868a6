import { foldText, type Highlighted, type SearchTerm } from '@parley/protocol';

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Marks the words of `text` that the terms matched: a word equal to a query word, or starting
 * with it where the term is a prefix. Done here rather than by each engine, so highlights look
 * the same on every database and come as offsets (the client renders them; no HTML to escape).
 */
export function highlight(text: string, terms: readonly SearchTerm[]): Highlighted {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const term of terms) {
    term.words.forEach((word, i) => {
      if (term.prefix && i === term.words.length - 1) prefixes.push(word);
      else exact.add(word);
    });
  }
  const highlights: Array<[number, number]> = [];
  for (const match of text.matchAll(WORD)) {
    const word = foldText(match[0]);
    if (exact.has(word) || prefixes.some((p) => word.startsWith(p))) {
      highlights.push([match.index, match.index + match[0].length]);
    }
  }
  return { text, highlights };
}

/**
 * A window of `text` of about `width` characters around its first highlight, cut at word
 * boundaries, with "…" where it was cut; highlights moved to match. Text that fits stays whole.
 */
export function snippet(text: string, terms: readonly SearchTerm[], width = 160): Highlighted {
  const full = highlight(text.replace(/\s+/g, ' ').trim(), terms);
  if (full.text.length <= width) return full;
  const first = full.highlights[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  let end = Math.min(full.text.length, start + width);
  start = Math.max(0, end - width);
  if (start > 0) start = wordStart(full.text, start);
  if (end < full.text.length) end = wordEnd(full.text, end);
  // Never between the two halves of an emoji or other astral character.
  if (isLowSurrogate(full.text, start)) start += 1;
  if (isLowSurrogate(full.text, end)) end += 1;
  const lead = start > 0 ? '…' : '';
  const tail = end < full.text.length ? '…' : '';
  const shift = lead.length - start;
  return {
    text: `${lead}${full.text.slice(start, end)}${tail}`,
    highlights: full.highlights
      .filter(([from, to]) => from >= start && to <= end)
      .map(([from, to]) => [from + shift, to + shift]),
  };
}

/** The start of the word after position `i` (or `i` itself, between words). */
const wordStart = (text: string, i: number) => {
  const space = text.indexOf(' ', i);
  return space === -1 || space - i > 20 ? i : space + 1;
};

/** The end of the word before position `i`. */
const wordEnd = (text: string, i: number) => {
  const space = text.lastIndexOf(' ', i);
  return space === -1 || i - space > 20 ? i : space;
};

const isLowSurrogate = (text: string, i: number) => {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
};
