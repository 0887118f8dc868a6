import { describe, expect, it } from 'vitest';
import { mentionsOf, parseMarkdown, plainText } from './index';

describe('mentions (@username)', () => {
  it('finds each person once, lower-cased, however the sentence goes on', () => {
    expect(mentionsOf('@Sam can you ask @kim.lee, and @SAM again? (@dan_2)')).toEqual(['sam', 'kim.lee', 'dan_2']);
    expect(mentionsOf('**@ann** and _@bo_ in a list:\n\n- @cy\n\n> @dee')).toEqual(['ann', 'bo', 'cy', 'dee']);
  });

  it('is no mention in an email address, code, a link, or glued to a word', () => {
    expect(mentionsOf('mail sam@example.com or a@b')).toEqual([]);
    expect(mentionsOf('run `@sam` or\n\n```\n@kim\n```')).toEqual([]);
    expect(mentionsOf('[ask @sam](https://example.com/@kim)')).toEqual([]);
    expect(mentionsOf('word@sam and @@kim')).toEqual([]);
  });

  it('ends a name before a closing dot or dash, and ignores a name longer than a username can be', () => {
    expect(mentionsOf('Thanks @sam. And @kim-')).toEqual(['sam', 'kim']);
    expect(mentionsOf(`@${'a'.repeat(33)}`)).toEqual([]);
  });

  it('draws a mention as its own node and keeps it in plain text', () => {
    expect(parseMarkdown('hi @sam!')).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'hi ' },
          { type: 'mention', username: 'sam' },
          { type: 'text', text: '!' },
        ],
      },
    ]);
    expect(plainText('hi **@sam**!')).toBe('hi @sam!');
  });

  it('takes at most 50 people from one message', () => {
    const many = Array.from({ length: 80 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionsOf(many)).toHaveLength(50);
  });
});
