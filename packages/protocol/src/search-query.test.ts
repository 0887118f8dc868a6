import { describe, expect, it } from 'vitest';
import { parseSearch } from './search-query';

describe('the search language', () => {
  it('splits words, phrases and operators; the last word is a prefix only while it is being typed', () => {
    const typing = parseSearch('Printer "on fire" status:open zür');
    expect(typing.terms).toEqual([
      { words: ['printer'], prefix: false, text: 'Printer' },
      { words: ['on', 'fire'], prefix: false, text: 'on fire' },
      { words: ['zur'], prefix: true, text: 'zür' },
    ]);
    expect(typing.filters).toEqual({ status: 'open' });
    expect(parseSearch('zür ').terms[0]!.prefix).toBe(false);
    expect(parseSearch('"zür"').terms[0]!.prefix).toBe(false);
  });

  it('reads words the way the engines index them: punctuation joins parts into a phrase, emoji are no words', () => {
    expect(parseSearch('sam@example.com ').terms[0]!.words).toEqual(['sam', 'example', 'com']);
    expect(parseSearch('e-mail 🔥 ').terms.map((t) => t.words)).toEqual([['e', 'mail']]);
    expect(parseSearch('ＦＵＬＬ width ').terms.map((t) => t.words)).toEqual([['full'], ['width']]);
    expect(parseSearch('東京都 ').terms[0]!.words).toEqual(['東京都']);
  });

  it('takes operator values, quoted when they have spaces, and repeats of label:', () => {
    const parsed = parseSearch(
      'label:"Needs review" label:vip from:@Sam is:DM has:attachment before:2026-03-01 after:2026-02-01 in:01J0',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.filters).toEqual({
      label: ['Needs review', 'vip'],
      from: '@sam',
      is: 'dm',
      has: 'attachment',
      before: '2026-03-01',
      after: '2026-02-01',
      in: '01J0',
    });
    expect(parsed.terms).toEqual([]);
  });

  it('names what is wrong with an operator, and treats unknown ones as words', () => {
    expect(parseSearch('status:sleeping before:2026-13-45 priority:').problems).toEqual([
      { operator: 'status', message: '"status:" takes one of open, in_progress, pending, snoozed, closed' },
      { operator: 'before', message: '"before:" takes a date as YYYY-MM-DD' },
      { operator: 'priority', message: 'Give a value after "priority:"' },
    ]);
    expect(parseSearch('subject:printer ').terms.map((t) => t.words)).toEqual([['subject', 'printer']]);
  });
});
