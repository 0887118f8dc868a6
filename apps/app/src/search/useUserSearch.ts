import type { Role, PublicUser } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { parley } from '../api/parley';

/**
 * Staff: people of the workspace (only those of `role`, when given) whose name or username holds
 * `q`, as they type (a pause first). An empty `q` finds no one.
 */
export function useUserSearch(q: string, { role, limit }: { role?: Role; limit: number }): PublicUser[] {
  const [found, setFound] = useState<PublicUser[]>([]);
  useEffect(() => {
    if (!q.trim()) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      parley.users.search({ q: q.trim(), limit, ...(role && { role }) }).then(
        ({ items }) => live && setFound(items),
        () => live && setFound([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, role, limit]);
  return found;
}
