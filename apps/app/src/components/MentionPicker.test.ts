import type { PublicUser } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { matchPeople, mentionTokenAt } from './MentionPicker';

const person = (username: string, displayName: string): PublicUser => ({
  id: username,
  username,
  displayName,
  role: 'agent',
  roleId: 'agent',
  roleName: 'Agent',
  avatarUrl: null,
  statusText: null,
});

describe('the @name being typed in the composer', () => {
  it('is an @ at the start of the text or of a word, up to the caret', () => {
    expect(mentionTokenAt('@ki', 3)).toEqual({ start: 0, end: 3, query: 'ki' });
    expect(mentionTokenAt('Ask @', 5)).toEqual({ start: 4, end: 5, query: '' });
    expect(mentionTokenAt('Ask @kim.l later', 10)).toEqual({ start: 4, end: 10, query: 'kim.l' });
  });

  it('is not an email address, nor a finished word', () => {
    expect(mentionTokenAt('sam@example', 11)).toBeNull();
    expect(mentionTokenAt('@kim ', 5)).toBeNull();
  });
});

describe('the people offered', () => {
  const people = [person('kim', 'Kim Agent'), person('sam', 'Sam Agent'), person('okim', 'Kimberly Otto')];

  it('are those whose username starts with it, then those with a name word starting with it', () => {
    expect(matchPeople(people, 'ki').map((p) => p.username)).toEqual(['kim', 'okim']);
    expect(matchPeople(people, 'AG').map((p) => p.username)).toEqual(['kim', 'sam']);
    expect(matchPeople(people, '').map((p) => p.username)).toEqual(['kim', 'sam', 'okim']);
    expect(matchPeople(people, 'zed')).toEqual([]);
  });
});
