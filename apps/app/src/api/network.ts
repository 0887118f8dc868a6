import type { NetworkMonitor } from '@parley/client';

/** The browser's idea of being online (`navigator.onLine` and its events). */
export function browserNetworkMonitor(): NetworkMonitor {
  return {
    isOnline: () => navigator.onLine,
    onChange(listener) {
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
  };
}
