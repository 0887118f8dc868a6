import AsyncStorage from '@react-native-async-storage/async-storage';
import { createParleyClient, type ParleyClient } from '@parley/client';
import { Platform } from 'react-native';
import { browserNetworkMonitor } from './network';
import { tabLock } from './tabs';

/** Where the server is: the page's own origin on the web (the server serves the app). */
export function serverUrl(): string {
  const configured = process.env.EXPO_PUBLIC_PARLEY_SERVER;
  if (configured) return configured.replace(/\/+$/, '');
  if (Platform.OS === 'web') return window.location.origin;
  return 'http://10.0.2.2:3000'; // the Android emulator's address for the host machine
}

const signedOutListeners = new Set<() => void>();

/** Called when the refresh token dies (expired, revoked, account deactivated). */
export const onSignedOut = (listener: () => void) => {
  signedOutListeners.add(listener);
  return () => void signedOutListeners.delete(listener);
};

/** The app's one client: tokens and the outbox persist in AsyncStorage (localStorage on the web). */
export const parley: ParleyClient = createParleyClient({
  baseUrl: serverUrl(),
  storage: AsyncStorage,
  ...(Platform.OS === 'web' && { network: browserNetworkMonitor(), lock: tabLock() }),
  onSignedOut: () => signedOutListeners.forEach((listener) => listener()),
});

/** An absolute URL for a server path such as an avatar's `/avatars/…`. */
export const absoluteUrl = (path: string) => (path.startsWith('http') ? path : `${serverUrl()}${path}`);
