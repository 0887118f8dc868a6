import type { LinkingOptions } from '@react-navigation/native';
import { serverUrl } from '../api/parley';
import type { RootStackParamList } from './types';

/** Web URLs and deep links: `/tickets/:id` opens that ticket, `parley://tickets/:id` on Android. */
export const linking: LinkingOptions<RootStackParamList> = {
  prefixes: [serverUrl(), 'parley://'],
  config: {
    screens: {
      SignIn: 'signin',
      Register: 'register',
      Home: '',
      NewTicket: 'tickets/new',
      Ticket: 'tickets/:id',
      Conversations: 'messages',
      Chat: 'messages/:id',
      Contacts: 'contacts',
      Notifications: 'notifications',
      Profile: 'profile',
      Admin: 'admin',
      Reports: 'reports',
      Join: 'join/:token',
    },
  },
};
