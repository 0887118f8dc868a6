import { parseSearch } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { highlight, snippet } from './search-snippet';

const terms = (q: string) => parseSearch(q).terms;
const marked = (h: { text: string; highlights: Array<[number, number]> }) =>
  h.highlights.map(([from, to]) => h.text.slice(from, to));

describe('search snippets', () => {
  it('marks whole words that match, ignoring case and accents, and word starts for a prefix', () => {
    expect(marked(highlight('Café RÉSUMÉ résumés, cafeteria', terms('cafe resume ')))).toEqual(['Café', 'RÉSUMÉ']);
    expect(marked(highlight('Café RÉSUMÉ résumés, cafeteria', terms('cafe')))).toEqual(['Café', 'cafeteria']);
  });

  it('cuts a long text around the first match at word boundaries, with ellipses, and keeps the marks on it', () => {
    const long = `${'lorem ipsum '.repeat(30)}the fuser unit is hot ${'dolor sit '.repeat(30)}`;
    const cut = snippet(long, terms('fuser '), 80);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(82);
    expect(marked(cut)).toEqual(['fuser']);
    // Whole words at both ends.
    expect(['lorem', 'ipsum']).toContain(cut.text.slice(1).split(' ')[0]);
    expect(['dolor', 'sit']).toContain(cut.text.slice(0, -1).split(' ').at(-1));
  });

  it('never splits an emoji at a cut', () => {
    const text = `${'🔥'.repeat(100)} match ${'🔥'.repeat(100)}`;
    const cut = snippet(text, terms('match '), 60);
    expect(/\p{Surrogate}/u.test(cut.text)).toBe(false);
    expect(marked(cut)).toEqual(['match']);
  });
});
