import type { PublicUser } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { parley } from '../api/parley';

/** Staff: customers whose name or username holds `q`, as they type (a pause first). */
export function useCustomerSearch(q: string): PublicUser[] {
  const [found, setFound] = useState<PublicUser[]>([]);
  useEffect(() => {
    if (!q.trim()) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      parley.users.search({ q: q.trim(), role: 'customer', limit: 8 }).then(
        ({ items }) => live && setFound(items),
        () => live && setFound([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return found;
}
