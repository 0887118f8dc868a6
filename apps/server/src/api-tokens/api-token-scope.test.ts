import type { ApiTokenScope } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { tokenMayCall, tokenMayFrame } from './api-token-scope';

const scopes = (...list: ApiTokenScope[]) => new Set(list);

describe('what an API token reaches', () => {
  it('reads an area with :read, changes it only with :write (which reads too)', () => {
    expect(tokenMayCall(scopes('tickets:read'), 'GET', '/tickets/:id')).toBe(true);
    expect(tokenMayCall(scopes('tickets:read'), 'PATCH', '/tickets/:id')).toBe(false);
    expect(tokenMayCall(scopes('tickets:write'), 'PATCH', '/tickets/:id')).toBe(true);
    expect(tokenMayCall(scopes('tickets:write'), 'GET', '/customers/:id/context')).toBe(true);
    expect(tokenMayCall(scopes('tickets:write'), 'GET', '/conversations/:id/messages')).toBe(false);
    expect(tokenMayCall(scopes('messages:write'), 'POST', '/conversations/:id/messages')).toBe(true);
    expect(tokenMayCall(scopes('people:read'), 'GET', '/users')).toBe(true);
    // People are read-only to tokens: changing roles or teams stays in the app.
    expect(tokenMayCall(scopes('people:read'), 'PATCH', '/users/:id')).toBe(false);
  });

  it('keeps every token off the account, settings, integrations and tokens themselves', () => {
    const all = scopes('tickets:write', 'messages:write', 'people:read', 'realtime');
    for (const [method, url] of [
      ['POST', '/auth/login'],
      ['GET', '/me/sessions'],
      ['POST', '/me/api-tokens'],
      ['PATCH', '/me'],
      ['GET', '/webhooks'],
      ['PUT', '/settings/desk'],
      ['GET', '/operator/workspaces'],
      ['GET', '/ticketsx'],
    ]) {
      expect(tokenMayCall(all, method!, url!), `${method} ${url}`).toBe(false);
    }
    expect(tokenMayCall(scopes('tickets:read'), 'GET', '/me')).toBe(true);
  });

  it('lets socket frames listen with messages:read and change things with messages:write', () => {
    expect(tokenMayFrame(scopes('realtime'), 'auth')).toBe(true);
    expect(tokenMayFrame(scopes('realtime'), 'subscribe')).toBe(false);
    expect(tokenMayFrame(scopes('realtime', 'messages:read'), 'subscribe')).toBe(true);
    expect(tokenMayFrame(scopes('realtime', 'messages:read'), 'read')).toBe(false);
    expect(tokenMayFrame(scopes('realtime', 'messages:write'), 'message.send')).toBe(true);
    expect(tokenMayFrame(scopes('realtime', 'messages:write'), 'typing')).toBe(true);
  });
});
