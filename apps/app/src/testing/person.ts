import type { PublicUser } from '@parley/protocol';

/** An agent of the workspace, known by their username (their id too), with whatever a test changes. */
export const aPerson = (username: string, displayName: string, changes: Partial<PublicUser> = {}): PublicUser => ({
  id: username,
  username,
  displayName,
  role: 'agent',
  roleId: 'agent',
  roleName: 'Agent',
  avatarUrl: null,
  statusText: null,
  bot: false,
  ...changes,
});
