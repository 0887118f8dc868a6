import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, notificationTarget, overLimit, ownerOf, strategyFor } from './policy';

const ORIGIN = 'https://chat.example.com';
const SHELL = new Set(['/index.html', '/_expo/static/js/web/index-abc.js', '/icons/icon-192.png']);
const token = (claims: object) => `Bearer h.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.signature`;
const AUTH = token({ sub: '01JUSER', wid: '01JWORKSPACE', exp: 1 });
const get = (path: string, authorization: string | null = AUTH, mode = 'cors') =>
  strategyFor({ method: 'GET', url: `${ORIGIN}${path}`, mode, authorization }, ORIGIN, SHELL);

describe('what the service worker keeps', () => {
  it('opens any page of the app from the shell, and the build’s files from its cache', () => {
    expect(get('/messages/01J', null, 'navigate')).toBe('page');
    expect(get('/tickets/01J?tab=x', null, 'navigate')).toBe('page');
    expect(get('/_expo/static/js/web/index-abc.js', null)).toBe('shell');
    expect(get('/_expo/static/js/web/other-build.js', null)).toBe('network');
  });

  it('keeps the latest page of a conversation apart from its older history and gaps', () => {
    expect(get('/conversations/01J/messages?limit=50')).toBe('history');
    expect(get('/conversations/01J/messages?limit=50&beforeSeq=10')).toBe('api');
    expect(get('/conversations/01J/messages?afterSeq=10')).toBe('api');
    expect(get('/conversations?limit=50')).toBe('api');
    expect(get('/me')).toBe('api');
  });

  it('never keeps writes, tokens, files, or anything read without signing in', () => {
    expect(
      strategyFor(
        { method: 'POST', url: `${ORIGIN}/conversations/01J/messages`, mode: 'cors', authorization: AUTH },
        ORIGIN,
        SHELL,
      ),
    ).toBe('network');
    for (const path of ['/auth/refresh', '/auth/sessions', '/attachments/01J', '/avatars/a.png', '/push/config'])
      expect(get(path), path).toBe('network');
    expect(get('/conversations', null)).toBe('network');
    expect(
      strategyFor(
        { method: 'GET', url: 'https://elsewhere.example/me', mode: 'cors', authorization: AUTH },
        ORIGIN,
        SHELL,
      ),
    ).toBe('network');
  });

  it('gives each user in each workspace a cache of their own, the same across token refreshes', () => {
    expect(ownerOf(AUTH)).toBe('01JUSER.01JWORKSPACE');
    expect(ownerOf(token({ sub: '01JUSER', wid: '01JWORKSPACE', exp: 2 }))).toBe(ownerOf(AUTH));
    expect(ownerOf(token({ sub: '01JUSER', wid: '01JOTHER' }))).not.toBe(ownerOf(AUTH));
    expect(ownerOf(token({ sub: '01JSOMEONE', wid: '01JWORKSPACE' }))).not.toBe(ownerOf(AUTH));
    expect(ownerOf('Bearer not-a-jwt')).toBeNull();
    expect(ownerOf(token({ wid: 'x' }))).toBeNull();
    expect(ownerOf(null)).toBeNull();
  });

  it('forgets the conversations loaded longest ago beyond the limit', () => {
    const keys = Array.from({ length: HISTORY_LIMIT + 3 }, (_, i) => i);
    expect(overLimit(keys, HISTORY_LIMIT)).toEqual([0, 1, 2]);
    expect(overLimit([1, 2], HISTORY_LIMIT)).toEqual([]);
  });

  it('opens only pages of this site from a notification', () => {
    expect(notificationTarget('/messages/01J?seq=4', ORIGIN)).toBe(`${ORIGIN}/messages/01J?seq=4`);
    expect(notificationTarget('https://evil.example/phish', ORIGIN)).toBe(`${ORIGIN}/`);
    expect(notificationTarget(undefined, ORIGIN)).toBe(`${ORIGIN}/`);
  });
});
