export type RootStackParamList = {
  SignIn: undefined;
  Register: undefined;
  Home: undefined;
  NewTicket: undefined;
  Ticket: { id: string };
  Conversations: undefined;
  Chat: { id: string };
  Contacts: undefined;
  Notifications: undefined;
  Profile: undefined;
  Admin: undefined;
  Reports: undefined;
  Join: { token: string };
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace ReactNavigation {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface RootParamList extends RootStackParamList {}
  }
}
