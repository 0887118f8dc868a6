import type { Permission } from '@parley/protocol';
import type { RootStackParamList } from './types';

type RouteName = keyof RootStackParamList;

/** The main places of the app, in the order the navigation shows them. */
export const PLACES = [
  { route: 'Home', label: 'nav.tickets', glyph: '▤' },
  { route: 'Conversations', label: 'nav.messages', glyph: '✉' },
  { route: 'Search', label: 'nav.search', glyph: '⌕' },
  { route: 'Contacts', label: 'nav.contacts', glyph: '☺' },
  { route: 'Notifications', label: 'nav.notifications', glyph: '◔' },
  { route: 'Profile', label: 'nav.profile', glyph: '◉' },
  { route: 'Reports', label: 'nav.reports', glyph: '▥', permission: 'reports.view' },
  { route: 'Admin', label: 'nav.admin', glyph: '⚙', administration: true },
] as const satisfies readonly {
  route: RouteName;
  label: string;
  glyph: string;
  /** Shown to who may manage people, teams or settings. */
  administration?: boolean;
  /** Shown to who has this permission. */
  permission?: Permission;
}[];

export type Place = (typeof PLACES)[number]['route'];

/** Screens that are not places themselves belong to the place they were opened from. */
const PLACE_OF: Partial<Record<RouteName, Place>> = {
  Home: 'Home',
  Ticket: 'Home',
  NewTicket: 'Home',
  Conversations: 'Conversations',
  Chat: 'Conversations',
  NewGroup: 'Conversations',
  Contacts: 'Contacts',
  Notifications: 'Notifications',
  Profile: 'Profile',
  Saved: 'Profile',
  Admin: 'Admin',
  Reports: 'Reports',
  Search: 'Search',
};

export const placeOf = (route: string | undefined): Place | undefined =>
  route ? PLACE_OF[route as RouteName] : undefined;
