import type { LinkingOptions } from '@react-navigation/native';
import { devicePush } from '../api/device-push';
import { serverUrl } from '../api/parley';
import type { RootStackParamList } from './types';

/**
 * Web URLs and deep links: `/tickets/:id` opens that ticket, `parley://tickets/:id` on Android;
 * `?seq=N` opens a thread at its message N (`/messages/:id?seq=N` for a chat). The links in
 * account mails (`/reset-password?token=…`, `/verify-email?token=…`) land on their screens.
 * On a phone, a tapped notification opens its address the same way.
 */
export const linking: LinkingOptions<RootStackParamList> = {
  prefixes: [serverUrl(), 'parley://'],
  ...devicePush.links,
  config: {
    screens: {
      SignIn: 'signin',
      Register: 'register',
      ForgotPassword: 'forgot-password',
      ResetPassword: 'reset-password',
      VerifyEmail: 'verify-email',
      Unsubscribe: 'unsubscribe',
      Home: '',
      NewTicket: 'tickets/new',
      Ticket: 'tickets/:id',
      Conversations: 'messages',
      NewGroup: 'messages/new-group',
      Chat: 'messages/:id',
      Contacts: 'contacts',
      Notifications: 'notifications',
      Profile: 'profile',
      Saved: 'saved',
      Admin: 'admin',
      Reports: 'reports',
      Search: 'search',
      Join: 'join/:token',
    },
  },
};

/** A `seq` route parameter (a number from the app, a string from a URL) as a message seq, or null. */
export function seqParam(value: number | string | undefined): number | null {
  const seq = Number(value);
  return value !== undefined && Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/** The web link to a message: its thread's URL path (`/tickets/:id`, `/messages/:id`) at its seq. */
export const messageLink = (threadPath: string, seq: number): string => `${serverUrl()}${threadPath}?seq=${seq}`;
