import { Platform } from 'react-native';
import { ignoreGone, pushOwner, stillRegistered, type DevicePush, type PushState } from './device-push-contract';
import { parley } from './parley';

/**
 * Web push on this browser: the subscription (browser side) and the device the server pushes to
 * (`/me/push-devices`), for the signed-in user in this workspace.
 */

/** Which device this browser is on the server, and for whom (`${userId}.${workspaceId}`). */
interface StoredDevice {
  owner: string;
  deviceId: string;
  endpoint: string;
}

const STORAGE_KEY = 'parley.webPush';
/** A push service that never answers (no network to it) must not leave the switch spinning. */
const SUBSCRIBE_TIMEOUT_MS = 30_000;

function supported(): boolean {
  return (
    Platform.OS === 'web' &&
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof window !== 'undefined' &&
    'PushManager' in window &&
    'Notification' in window
  );
}

function stored(): StoredDevice | null {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredDevice | null;
  } catch {
    return null;
  }
}

/** The app's service worker, once there is one (the production web build registers it). */
async function registration(): Promise<ServiceWorkerRegistration | null> {
  return (await navigator.serviceWorker.getRegistration('/')) ?? null;
}

async function state(): Promise<PushState> {
  if (!supported() || !(await registration())) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  const device = stored();
  const subscription = await (await registration())?.pushManager.getSubscription();
  const here = device && device.owner === pushOwner() && subscription?.endpoint === device.endpoint;
  return here && (await stillRegistered(device.deviceId)) ? 'on' : 'off';
}

/** Asks the person, subscribes with the server's key, and tells the server where to push. */
async function enable(): Promise<PushState> {
  const worker = supported() ? await registration() : null;
  if (!worker) return 'unsupported';
  if ((await Notification.requestPermission()) !== 'granted')
    return Notification.permission === 'denied' ? 'blocked' : 'off';
  const { webPublicKey } = await parley.push.config();
  const subscription = await withTimeout(
    worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(webPublicKey) }),
  ).catch(async (error: unknown) => {
    // A subscription made with an older key (the server's keys were rotated) must go first.
    const old = await worker.pushManager.getSubscription();
    if (!old) throw error;
    await old.unsubscribe();
    return withTimeout(
      worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(webPublicKey) }),
    );
  });
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth) throw new Error('The browser gave a push subscription without keys');
  const device = await parley.push.register({ kind: 'web', endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } });
  const owner = pushOwner();
  if (owner) localStorage.setItem(STORAGE_KEY, JSON.stringify({ owner, deviceId: device.id, endpoint }));
  return 'on';
}

/** The server forgets the device and the browser its subscription. */
async function disable(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  const device = stored();
  if (device && device.owner === pushOwner()) await parley.push.unregister(device.deviceId).catch(ignoreGone);
  localStorage.removeItem(STORAGE_KEY);
  await (await (await registration())?.pushManager.getSubscription())?.unsubscribe();
  return 'off';
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The push service did not answer')), SUBSCRIBE_TIMEOUT_MS);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export const devicePush: DevicePush = { state, enable, disable, links: {} };
