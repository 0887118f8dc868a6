import { parseSearch } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { relevance, termCounts } from './search-relevance';

const terms = (q: string) => parseSearch(q).terms;
const one = (...texts: string[]) => texts.map((text) => [{ text, weight: 1 }]);
/** The texts, best first. */
const ranked = (texts: string[], q: string) => {
  const scores = relevance(one(...texts), terms(q));
  return texts
    .map((text, i) => ({ text, score: scores[i]! }))
    .sort((a, b) => b.score - a.score)
    .map((r) => r.text);
};

describe('search relevance', () => {
  it('puts the short message that is about the words above the long one that mentions them', () => {
    const long = `the printer jams ${'and then we talked about lunch for a while '.repeat(5)}`;
    expect(ranked([long, 'printer jams again'], 'printer jams ')).toEqual(['printer jams again', long]);
  });

  it('counts a word said again, less than twice', () => {
    const [once, twice] = relevance(one('printer broken today', 'printer printer today'), terms('printer '));
    expect(twice).toBeGreaterThan(once!);
    expect(twice).toBeLessThan(2 * once!);
  });

  it('weighs a field: a ticket with the words in its subject comes before one with them in its description', () => {
    const [inDescription, inSubject] = relevance(
      [
        [
          { text: 'Invoice question', weight: 5 },
          { text: 'the printer is broken', weight: 1 },
        ],
        [
          { text: 'Printer broken', weight: 5 },
          { text: 'since monday it does not print', weight: 1 },
        ],
      ],
      terms('printer broken '),
    );
    expect(inSubject).toBeGreaterThan(inDescription!);
  });

  it('finds phrases only in order and a prefix as the start of a word', () => {
    const words = ['the', 'fuser', 'unit', 'unit', 'fuser', 'jams'];
    expect(termCounts(words, terms('"fuser unit"'))).toEqual([1]);
    expect(termCounts(words, terms('"unit fuser" fus'))).toEqual([1, 2]);
  });

  it('reads the text as the engines do: case and accents do not matter', () => {
    const [folded, other] = relevance(one('RÉSUMÉ attached', 'nothing here'), terms('resume '));
    expect(folded).toBeGreaterThan(0);
    expect(other).toBe(0);
  });
});
