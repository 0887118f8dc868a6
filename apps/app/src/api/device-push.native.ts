import AsyncStorage from '@react-native-async-storage/async-storage';
import Constants from 'expo-constants';
import * as Notifications from 'expo-notifications';
import { Linking } from 'react-native';
import { ignoreGone, pushOwner, stillRegistered, type DevicePush, type PushState } from './device-push-contract';
import { parley } from './parley';

/**
 * Push to the Android app through Expo's push service: the device's Expo push token is what the
 * server sends to (`POST /me/push-devices` with `{kind: 'expo'}`). Expo hands tokens out per
 * EAS project, so a build without `expo.extra.eas.projectId` in app.json has no push.
 */

/** Which device this phone is on the server, and for whom (see `pushOwner`). */
interface StoredDevice {
  owner: string;
  deviceId: string;
  token: string;
}

const STORAGE_KEY = 'parley.expoPush';
/** Expo sends without a channel id, so Android files them under this one (made before asking). */
const CHANNEL_ID = 'default';

// In the foreground the app shows what happens itself; a push about another conversation
// still shows as a banner, but quietly.
Notifications.setNotificationHandler({
  handleNotification: () =>
    Promise.resolve({ shouldShowBanner: true, shouldShowList: true, shouldPlaySound: false, shouldSetBadge: false }),
});

function projectId(): string | null {
  const extra = Constants.expoConfig?.extra as { eas?: { projectId?: unknown } } | undefined;
  const id = extra?.eas?.projectId ?? Constants.easConfig?.projectId;
  return typeof id === 'string' && id ? id : null;
}

async function stored(): Promise<StoredDevice | null> {
  try {
    return JSON.parse((await AsyncStorage.getItem(STORAGE_KEY)) ?? 'null') as StoredDevice | null;
  } catch {
    return null;
  }
}

async function state(): Promise<PushState> {
  if (!projectId()) return 'unsupported';
  const permission = await Notifications.getPermissionsAsync();
  if (!permission.granted && !permission.canAskAgain) return 'blocked';
  const device = await stored();
  const here = permission.granted && device?.owner === pushOwner();
  return here && (await stillRegistered(device.deviceId)) ? 'on' : 'off';
}

async function enable(): Promise<PushState> {
  const id = projectId();
  if (!id) return 'unsupported';
  // Android 13 shows the permission prompt only once the app has a channel.
  await Notifications.setNotificationChannelAsync(CHANNEL_ID, {
    name: 'Parley',
    importance: Notifications.AndroidImportance.HIGH,
  });
  const permission = await Notifications.requestPermissionsAsync();
  if (!permission.granted) return permission.canAskAgain ? 'off' : 'blocked';
  const { data: token } = await Notifications.getExpoPushTokenAsync({ projectId: id });
  const device = await parley.push.register({ kind: 'expo', token });
  const owner = pushOwner();
  if (owner) await AsyncStorage.setItem(STORAGE_KEY, JSON.stringify({ owner, deviceId: device.id, token }));
  return 'on';
}

/**
 * The phone's push service (FCM) may hand the app a new token; Expo's token follows it. The
 * server then gets the new token as the device, and forgets the old one.
 */
async function followNewToken(): Promise<void> {
  const device = await stored();
  const id = projectId();
  if (!device || device.owner !== pushOwner() || !id) return;
  const { data: token } = await Notifications.getExpoPushTokenAsync({ projectId: id });
  if (token === device.token) return;
  const fresh = await parley.push.register({ kind: 'expo', token });
  await AsyncStorage.setItem(STORAGE_KEY, JSON.stringify({ ...device, deviceId: fresh.id, token }));
  if (fresh.id !== device.deviceId) await parley.push.unregister(device.deviceId).catch(ignoreGone);
}

Notifications.addPushTokenListener(() => void followNewToken().catch(() => undefined));

async function disable(): Promise<PushState> {
  const device = await stored();
  if (device && device.owner === pushOwner()) await parley.push.unregister(device.deviceId).catch(ignoreGone);
  await AsyncStorage.removeItem(STORAGE_KEY);
  return projectId() ? 'off' : 'unsupported';
}

/** A push's `url` is a path in the app (`/tickets/…`); as a deep link, `parley://tickets/…`. */
export function linkOfPush(data: unknown): string | null {
  const url = (data as { url?: unknown } | null | undefined)?.url;
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? `parley:/${url}` : null;
}

const linkOfResponse = (response: Notifications.NotificationResponse | null) =>
  linkOfPush(response?.notification.request.content.data);

export const devicePush: DevicePush = {
  state,
  enable,
  disable,
  links: {
    // A tap that started the app, else an ordinary deep link.
    getInitialURL: async () =>
      (await Linking.getInitialURL()) ?? linkOfResponse(Notifications.getLastNotificationResponse()),
    subscribe: (listener) => {
      const links = Linking.addEventListener('url', ({ url }: { url: string }) => listener(url));
      const taps = Notifications.addNotificationResponseReceivedListener((response) => {
        const url = linkOfResponse(response);
        if (url) listener(url);
      });
      return () => {
        links.remove();
        taps.remove();
      };
    },
  },
};
