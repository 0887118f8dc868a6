import type { LinkingOptions } from '@react-navigation/native';
import { parley } from './parley';

/** Push to this device (`device-push.web.ts`: web push; `device-push.native.ts`: Expo). */
export type PushState =
  /** No push here: a browser without it, or an app build without an Expo project id. */
  | 'unsupported'
  /** The person said no to notifications: only the system's settings undo it. */
  | 'blocked'
  | 'off'
  | 'on';

export interface DevicePush {
  state(): Promise<PushState>;
  /** Asks the person (once), gets this device's address and registers it with the server. */
  enable(): Promise<PushState>;
  /**
   * No more pushes here: the server forgets the device. Also on sign-out, so the next person
   * on this device never sees the last one's notifications.
   */
  disable(): Promise<PushState>;
  /**
   * Where a tapped notification leads, as React Navigation's linking hooks; none on the web,
   * where the service worker opens the page at the notification's address.
   */
  links: Pick<LinkingOptions<object>, 'getInitialURL' | 'subscribe'>;
}

/** Whose device this is on the server (`${userId}.${workspaceId}`): another sign-in is not "on". */
export function pushOwner(): string | null {
  const user = parley.session.get()?.user;
  return user ? `${user.id}.${user.workspace.id}` : null;
}

/**
 * Whether the server still pushes to the device this app registered: it forgets a device when
 * the session that registered it ends (signed out from elsewhere, a new password) or when its
 * push service says it is gone. Offline, the app's own record stands.
 */
export async function stillRegistered(deviceId: string): Promise<boolean> {
  try {
    return (await parley.push.devices()).items.some((device) => device.id === deviceId);
  } catch {
    return true;
  }
}

/** Unregistering a device already gone on the server (deleted elsewhere, pruned as dead) is what we want. */
export function ignoreGone(error: unknown): void {
  if ((error as { status?: number }).status !== 404) throw error;
}
