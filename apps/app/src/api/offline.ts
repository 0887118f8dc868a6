import { Platform } from 'react-native';

/** The service worker's caches of signed-in answers all start so (service-worker/policy.ts). */
const API_CACHE_PREFIX = 'parley-api-';

/**
 * Installs the service worker (the web build only: `expo start --web` has no `sw.js`, and a
 * worker left over from a build would serve that build's shell to the dev server's pages).
 */
export function registerServiceWorker(): void {
  if (Platform.OS !== 'web' || process.env.NODE_ENV !== 'production') return;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  // After the first screen is up: installing downloads the whole shell once.
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('service worker not installed: the app works, but not offline', error);
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

/**
 * Forgets what the service worker kept of the signed-in user's answers (conversations, tickets),
 * so nothing of theirs can be read offline on this browser after they sign out. Keyed by user
 * as well (see policy.ts `ownerOf`): this covers the person who signs out on a shared machine.
 */
export async function forgetOfflineData(): Promise<void> {
  if (Platform.OS !== 'web' || typeof caches === 'undefined') return;
  for (const name of await caches.keys()) if (name.startsWith(API_CACHE_PREFIX)) await caches.delete(name);
  // Entries still being written by the worker land after the deletion above: it deletes again.
  navigator.serviceWorker?.controller?.postMessage({ type: 'parley.signedOut' });
}
