import type { Me, PublicUser } from '@parley/protocol';
import { toIso } from '../clock';
import type { UserRow } from '../db/schema';

export const avatarUrl = (avatarKey: string | null): string | null => (avatarKey ? `/avatars/${avatarKey}` : null);

export function presentMe(user: UserRow): Me {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    avatarUrl: avatarUrl(user.avatarKey),
    statusText: user.statusText,
    createdAt: toIso(user.createdAt),
  };
}

export function presentPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    avatarUrl: avatarUrl(user.avatarKey),
    statusText: user.statusText,
  };
}
