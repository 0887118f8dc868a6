import { describe, expect, it } from 'vitest';
import { DEFAULT_INVITE_DRAFT, inviteBody, inviteLink } from './invite-form';

const draft = { ...DEFAULT_INVITE_DRAFT, roleId: 'r1' };

describe('the invite form', () => {
  it('asks for a role before anything else', () => {
    expect(inviteBody(DEFAULT_INVITE_DRAFT)).toEqual({ problem: 'pickRole' });
  });

  it('makes one use, a number of uses, or unlimited ones', () => {
    expect(inviteBody(draft)).toEqual({ body: { roleId: 'r1', maxUses: 1, expiresInHours: 168 } });
    expect(inviteBody({ ...draft, uses: 'count', count: ' 12 ' })).toMatchObject({ body: { maxUses: 12 } });
    expect(inviteBody({ ...draft, uses: 'unlimited' })).toMatchObject({ body: { maxUses: null } });
    expect(inviteBody({ ...draft, uses: 'count', count: '0' })).toEqual({ problem: 'badCount' });
    expect(inviteBody({ ...draft, uses: 'count', count: '2.5' })).toEqual({ problem: 'badCount' });
  });

  it('turns days into hours and keeps within 30 days', () => {
    expect(inviteBody({ ...draft, expiry: '36', unit: 'hours' })).toMatchObject({ body: { expiresInHours: 36 } });
    expect(inviteBody({ ...draft, expiry: '30', unit: 'days' })).toMatchObject({ body: { expiresInHours: 720 } });
    expect(inviteBody({ ...draft, expiry: '31', unit: 'days' })).toEqual({ problem: 'badExpiry' });
    expect(inviteBody({ ...draft, expiry: '', unit: 'hours' })).toEqual({ problem: 'badExpiry' });
  });

  it('puts the path on the page origin', () => {
    expect(inviteLink('https://desk.example/', '/join/abc')).toBe('https://desk.example/join/abc');
  });
});
