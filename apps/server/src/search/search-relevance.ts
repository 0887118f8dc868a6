import { searchWords, type SearchTerm } from '@parley/protocol';

/** A searched text of a match and how much a word found in it counts (a ticket's subject more). */
export interface Field {
  text: string;
  weight: number;
}

/** BM25's constants, as FTS5 and Lucene use them: repeats saturate, long texts count less. */
const K1 = 1.2;
const B = 0.75;

/**
 * How relevant each document (its fields) is to the terms, higher better: BM25 without its
 * inverse document frequency. Every document here matched every term, so what tells them apart
 * is how often the terms occur and in how short a text. Scored here rather than by each engine,
 * so the order is the same on every database, and because the engines' own scores cost more
 * than the search itself: FTS5's bm25 counts every match of each term, PostgreSQL's `ts_rank`
 * parses each text again.
 */
export function relevance(documents: readonly Field[][], terms: readonly SearchTerm[]): number[] {
  const words = documents.map((fields) => fields.map((field) => searchWords(field.text)));
  const fieldCount = Math.max(0, ...documents.map((fields) => fields.length));
  const averageLength = Array.from({ length: fieldCount }, (_, i) => {
    const lengths = words.flatMap((fields) => (fields[i] ? [fields[i].length] : []));
    return Math.max(1, lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, lengths.length));
  });
  return documents.map((fields, d) =>
    fields.reduce((score, field, i) => {
      const text = words[d]![i]!;
      const norm = K1 * (1 - B + (B * text.length) / averageLength[i]!);
      const counts = termCounts(text, terms);
      return score + field.weight * counts.reduce((sum, tf) => sum + (tf * (K1 + 1)) / (tf + norm), 0);
    }, 0),
  );
}

/** How often each term occurs in `words`: a phrase where its words follow each other, the last one as a prefix if the term is. */
export function termCounts(words: readonly string[], terms: readonly SearchTerm[]): number[] {
  return terms.map((term) => {
    const last = term.words.length - 1;
    let count = 0;
    for (let at = 0; at + last < words.length; at++) {
      let i = 0;
      while (i < last && words[at + i] === term.words[i]) i++;
      if (i === last && (term.prefix ? words[at + i]!.startsWith(term.words[i]!) : words[at + i] === term.words[i])) {
        count++;
      }
    }
    return count;
  });
}
