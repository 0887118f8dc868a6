import type { PublicUser } from '@parley/protocol';
import { useEffect, useMemo, useState } from 'react';
import { parley } from '../api/parley';

/** People met in chats, by id: for sender names and avatars. Lives as long as the app. */
const known = new Map<string, PublicUser>();
const asked = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();

const changed = () => listeners.forEach((listener) => listener());

/** Adds users the app already has (conversation members, team members). */
export function rememberUsers(users: readonly PublicUser[]): void {
  let any = false;
  for (const user of users) {
    if (known.get(user.id) !== user) {
      known.set(user.id, user);
      any = true;
    }
  }
  if (any) changed();
}

function fetchUser(id: string): Promise<void> {
  let request = asked.get(id);
  if (!request) {
    request = parley.users.get(id).then(
      (user) => rememberUsers([user]),
      () => undefined, // not visible to us: shown as "Someone"
    );
    asked.set(id, request);
  }
  return request;
}

/**
 * The users with these ids, looked up once each (`parley.users.get`) unless already known.
 * Re-renders when any arrives.
 */
export function useUsers(ids: readonly (string | null | undefined)[]): ReadonlyMap<string, PublicUser> {
  const [version, setVersion] = useState(0);
  const key = [...new Set(ids.filter((id): id is string => !!id))].sort().join(',');
  useEffect(() => {
    const listener = () => setVersion((v) => v + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  useEffect(() => {
    for (const id of key ? key.split(',') : []) if (!known.has(id)) void fetchUser(id);
  }, [key]);
  // A fresh copy whenever someone arrives, so memoised children see the change.
  return useMemo(() => new Map(known), [version, key]);
}
