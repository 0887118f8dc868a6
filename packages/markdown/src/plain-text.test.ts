import { describe, expect, it } from 'vitest';
import { excerpt, plainText } from './index';

describe('a message as plain text (previews, notifications, search snippets)', () => {
  it('[MD11] drops the markers and keeps the words, one block per line', () => {
    expect(plainText('**Heads up**: run `npm ci` _first_ ~~now~~')).toBe('Heads up: run npm ci first now');
    expect(plainText('# Plan\n\n> quoted\n\n- one\n- two\n\n```sh\necho hi\n```')).toBe(
      'Plan\nquoted\none\ntwo\necho hi',
    );
    expect(plainText('[the docs](https://example.com) and https://example.org')).toBe(
      'the docs and https://example.org',
    );
  });

  it("[MD11] keeps a spoiler's words unless told what to show instead", () => {
    expect(plainText('It was ||the butler||')).toBe('It was the butler');
    expect(plainText('It was ||the butler||', { spoiler: '(spoiler)' })).toBe('It was (spoiler)');
  });

  it('[MD11] keeps raw HTML and refused links as the text that was written', () => {
    expect(plainText('<b>hi</b> [x](javascript:alert(1))')).toBe('<b>hi</b> [x](javascript:alert(1))');
  });
});

describe('an excerpt (what a reply quotes)', () => {
  it('is the first line with words, without markdown, cut at 140 characters', () => {
    expect(excerpt('\n\n  **Printer** on _fire_  \nsecond line')).toBe('Printer on fire');
    expect(excerpt('> quoted first\n\nthen mine')).toBe('quoted first');
    expect(excerpt('a'.repeat(200))).toBe(`${'a'.repeat(139)}…`);
    expect(excerpt('a'.repeat(140))).toBe('a'.repeat(140));
  });

  it("never carries a spoiler's words", () => {
    expect(excerpt('The answer: ||42||')).toBe('The answer: ░░░');
    expect(excerpt('The answer: ||42||', { spoiler: '(spoiler)' })).toBe('The answer: (spoiler)');
  });
});
