export type RootStackParamList = {
  /** `notice`: why sign-in is shown again (the password was just reset). */
  SignIn: { notice?: 'passwordReset' } | undefined;
  ForgotPassword: undefined;
  /** From the mailed link: `/reset-password?token=…`. */
  ResetPassword: { token?: string } | undefined;
  /** From the mailed link: `/verify-email?token=…`. */
  VerifyEmail: { token?: string } | undefined;
  /** From a mail's unsubscribe link: `/unsubscribe?token=…`. */
  Unsubscribe: { token?: string } | undefined;
  Register: undefined;
  Home: undefined;
  NewTicket: undefined;
  /** `seq`: open the thread at that message (a search result, a message link). */
  Ticket: { id: string; seq?: number | string };
  Conversations: undefined;
  NewGroup: undefined;
  Chat: { id: string; seq?: number | string };
  Search: { q?: string } | undefined;
  Contacts: undefined;
  Notifications: undefined;
  Profile: undefined;
  /** The user's saved messages (reached from Profile). */
  Saved: undefined;
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
