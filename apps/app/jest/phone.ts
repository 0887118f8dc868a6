import type { DocumentPickerAsset, DocumentPickerResult } from 'expo-document-picker';
import type { ImagePickerAsset, ImagePickerResult } from 'expo-image-picker';
import type { NotificationPermissionsStatus, NotificationResponse } from 'expo-notifications';
import app from '../app.json';

/** The app config the build was made with (Metro embeds app.json's `expo`). */
type AppConfig = typeof app.expo & { extra?: { eas?: { projectId?: string } } };

/**
 * The phone under the Android component tests: what its person answers and picks, as Expo's
 * native modules report it. jest-expo has no stand-ins for expo-notifications 56's native side,
 * so these take the place of the JavaScript APIs of the Expo packages the app calls for them (jest/setup.js).
 */
export const phone = {
  appConfig: app.expo as AppConfig,
  /** What the person says when asked for notifications: yes, not now, or never again. */
  notificationAnswer: 'allow' as 'allow' | 'deny' | 'never',
  notifications: 'undetermined' as 'undetermined' | 'granted' | 'denied',
  canAskAgain: true,
  asked: 0,
  channels: new Map<string, unknown>(),
  /** The token Expo's service hands this device for the build's project. */
  expoToken: 'ExponentPushToken[phoneToken1]',
  tokenProjects: [] as string[],
  lastTap: null as NotificationResponse | null,
  tapListeners: new Set<(response: NotificationResponse) => void>(),
  tokenListeners: new Set<() => void>(),
  /** What the person picks next (null: closes the picker without picking). */
  nextDocuments: null as DocumentPickerAsset[] | null,
  nextImage: null as ImagePickerAsset | null,
  nextPhoto: null as ImagePickerAsset | null,
  cameraAllowed: true,

  reset(): void {
    Object.assign(phone, {
      appConfig: app.expo,
      notificationAnswer: 'allow',
      notifications: 'undetermined',
      canAskAgain: true,
      asked: 0,
      lastTap: null,
      nextDocuments: null,
      nextImage: null,
      nextPhoto: null,
      cameraAllowed: true,
      expoToken: 'ExponentPushToken[phoneToken1]',
    });
    phone.channels.clear();
    phone.tokenProjects.length = 0;
    phone.tapListeners.clear();
    // tokenListeners stay: the app listens for new tokens once, when its push module loads.
  },

  /** The phone's push service hands out a new token (Expo's follows it). */
  newToken(token: string): void {
    phone.expoToken = token;
    for (const listener of phone.tokenListeners) listener();
  },

  /** The person taps a notification whose data is `data` (as Expo delivers the server's push). */
  tap(data: Record<string, unknown>): void {
    const response = {
      actionIdentifier: 'expo.modules.notifications.actions.DEFAULT',
      notification: { date: Date.now(), request: { identifier: 'n1', content: { data }, trigger: null } },
    } as unknown as NotificationResponse;
    phone.lastTap = response;
    for (const listener of phone.tapListeners) listener(response);
  },
};

const permission = (): NotificationPermissionsStatus =>
  ({
    status: phone.notifications,
    granted: phone.notifications === 'granted',
    canAskAgain: phone.canAskAgain,
    expires: 'never',
  }) as NotificationPermissionsStatus;

export const expoConstants = {
  __esModule: true,
  default: {
    get expoConfig() {
      return phone.appConfig;
    },
    easConfig: null,
  },
};

export const expoNotifications = {
  AndroidImportance: { UNSPECIFIED: 0, NONE: 1, MIN: 2, LOW: 3, DEFAULT: 4, HIGH: 5, MAX: 6 },
  setNotificationHandler: () => undefined,
  setNotificationChannelAsync: (id: string, channel: unknown) => {
    phone.channels.set(id, channel);
    return Promise.resolve(channel);
  },
  getPermissionsAsync: () => Promise.resolve(permission()),
  requestPermissionsAsync: () => {
    // Android 13 and later prompt only once the app has a notification channel, and only while
    // the person has not said "don't ask again".
    if (phone.notifications === 'undetermined' || (phone.notifications === 'denied' && phone.canAskAgain)) {
      if (phone.channels.size > 0) {
        phone.asked += 1;
        phone.notifications = phone.notificationAnswer === 'allow' ? 'granted' : 'denied';
        phone.canAskAgain = phone.notificationAnswer === 'deny';
      }
    }
    return Promise.resolve(permission());
  },
  getExpoPushTokenAsync: ({ projectId }: { projectId?: string } = {}) => {
    if (!projectId) return Promise.reject(new Error('No "projectId" found'));
    phone.tokenProjects.push(projectId);
    return Promise.resolve({ type: 'expo', data: phone.expoToken });
  },
  getLastNotificationResponse: () => phone.lastTap,
  addPushTokenListener: (listener: () => void) => {
    phone.tokenListeners.add(listener);
    return { remove: () => phone.tokenListeners.delete(listener) };
  },
  addNotificationResponseReceivedListener: (listener: (response: NotificationResponse) => void) => {
    phone.tapListeners.add(listener);
    return { remove: () => phone.tapListeners.delete(listener) };
  },
};

const picked = <T>(assets: T[] | null) =>
  (assets ? { canceled: false, assets } : { canceled: true, assets: null }) as never;

export const expoDocumentPicker = {
  getDocumentAsync: (): Promise<DocumentPickerResult> => Promise.resolve(picked(phone.nextDocuments)),
};

export const expoImagePicker = {
  launchImageLibraryAsync: (): Promise<ImagePickerResult> =>
    Promise.resolve(picked(phone.nextImage && [phone.nextImage])),
  requestCameraPermissionsAsync: () =>
    Promise.resolve({
      granted: phone.cameraAllowed,
      status: phone.cameraAllowed ? 'granted' : 'denied',
      canAskAgain: true,
      expires: 'never',
    }),
  launchCameraAsync: (): Promise<ImagePickerResult> => Promise.resolve(picked(phone.nextPhoto && [phone.nextPhoto])),
};
