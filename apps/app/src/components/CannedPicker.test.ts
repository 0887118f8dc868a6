import type { CannedResponse } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { matchCanned, slashTokenAt } from './CannedPicker';

const response = (shortcut: string, title: string, body: string): CannedResponse => ({
  id: shortcut,
  scope: 'workspace',
  ownerId: null,
  teamId: null,
  shortcut,
  title,
  body,
  usageCount: 0,
  canEdit: false,
  createdAt: '2026-12-02T12:00:00.000Z',
  updatedAt: '2026-12-02T12:00:00.000Z',
});

describe('the /shortcut in the composer', () => {
  it('is a slash at the start of the text or of a word, up to the caret', () => {
    expect(slashTokenAt('/ref', 4)).toEqual({ start: 0, end: 4, query: 'ref' });
    expect(slashTokenAt('Hello /re', 9)).toEqual({ start: 6, end: 9, query: 're' });
    expect(slashTokenAt('Hello\n/', 7)).toEqual({ start: 6, end: 7, query: '' });
    // The caret in the middle: only what is before it counts.
    expect(slashTokenAt('/refund later', 4)).toEqual({ start: 0, end: 4, query: 'ref' });
  });

  it('is not a slash inside a word, a URL or a date, nor a finished word', () => {
    expect(slashTokenAt('and/or', 6)).toBeNull();
    expect(slashTokenAt('https://example.com/ref', 23)).toBeNull();
    expect(slashTokenAt('12/05', 5)).toBeNull();
    expect(slashTokenAt('/ref ', 5)).toBeNull();
  });
});

describe('matching canned responses', () => {
  const items = [
    response('thanks', 'Thanks', 'Thank you, we will refer it on.'),
    response('refund', 'Refund', 'Your refund is on its way.'),
    response('reset', 'Password reset', 'Use the link.'),
  ];

  it('puts shortcuts that start with the query first, then any with it in shortcut, title or body', () => {
    expect(matchCanned(items, 'ref').map((r) => r.shortcut)).toEqual(['refund', 'thanks']);
    expect(matchCanned(items, 'PASSWORD').map((r) => r.shortcut)).toEqual(['reset']);
    expect(matchCanned(items, '').map((r) => r.shortcut)).toEqual(['thanks', 'refund', 'reset']);
    expect(matchCanned(items, 'nothing')).toEqual([]);
  });
});
