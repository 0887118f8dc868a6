import './i18n';
import { createNavigationContainerRef, DarkTheme, DefaultTheme, NavigationContainer } from '@react-navigation/native';
import { createNativeStackNavigator } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, View } from 'react-native';
import { SafeAreaProvider } from 'react-native-safe-area-context';
import { Provider } from 'react-redux';
import { registerServiceWorker } from './api/offline';
import { parley } from './api/parley';
import { AppFrame } from './components/AppFrame';
import { linking } from './navigation/linking';
import type { RootStackParamList } from './navigation/types';
import { AdminScreen } from './screens/AdminScreen';
import { ReportsScreen } from './screens/ReportsScreen';
import { SearchScreen } from './screens/SearchScreen';
import { ChatScreen } from './screens/ChatScreen';
import { ContactsScreen } from './screens/ContactsScreen';
import { ConversationsScreen } from './screens/ConversationsScreen';
import { HomeScreen } from './screens/HomeScreen';
import { JoinScreen } from './screens/JoinScreen';
import { NewGroupScreen } from './screens/NewGroupScreen';
import { NewTicketScreen } from './screens/NewTicketScreen';
import { NotificationsScreen } from './screens/NotificationsScreen';
import { ProfileScreen } from './screens/ProfileScreen';
import { SavedScreen } from './screens/SavedScreen';
import { RegisterScreen } from './screens/RegisterScreen';
import { SignInScreen } from './screens/SignInScreen';
import { ForgotPasswordScreen } from './screens/ForgotPasswordScreen';
import { ResetPasswordScreen } from './screens/ResetPasswordScreen';
import { UnsubscribeScreen } from './screens/UnsubscribeScreen';
import { VerifyEmailScreen } from './screens/VerifyEmailScreen';
import { TicketScreen } from './screens/TicketScreen';
import { createStore, useAppDispatch, useAppSelector } from './store';
import { loadConversations } from './store/conversations';
import { loadNotifications } from './store/notifications';
import { loadPreferences } from './store/preferences';
import { loadSaved } from './store/saved-messages';
import { connectStoreToParley } from './store/realtime-bridge';
import { restoreSession } from './store/session';
import { loadWorkspaces } from './store/workspaces';
import { ThemeProvider, useTheme } from './theme/theme';

const Stack = createNativeStackNavigator<RootStackParamList>();
const navigationRef = createNavigationContainerRef<RootStackParamList>();

/**
 * Once signed in, and again in each workspace switched to: the lists that feed badges (and the
 * switcher), and live updates for every conversation.
 */
function useSignedInData(signedIn: boolean, workspaceId: string | undefined) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (!signedIn) return;
    void dispatch(loadWorkspaces());
    void dispatch(loadNotifications());
    // Which messages are saved, for their menus' "Save" / "Remove from saved".
    void dispatch(loadSaved());
    void dispatch(loadConversations()).then((action) => {
      if (loadConversations.fulfilled.match(action)) {
        for (const conversation of action.payload.items)
          parley.realtime.subscribe(conversation.id, conversation.lastSeq);
      }
    });
  }, [dispatch, signedIn, workspaceId]);
}

function Navigator() {
  const { dark, colors } = useTheme();
  const { i18n } = useTranslation();
  const status = useAppSelector((s) => s.session.status);
  const language = useAppSelector((s) => s.preferences.language);
  const [currentRoute, setCurrentRoute] = useState<string>();
  const followRoute = () => setCurrentRoute(navigationRef.getCurrentRoute()?.name);
  const workspaceName = useAppSelector((s) => s.session.user?.workspace?.name);
  useSignedInData(
    status === 'signedIn',
    useAppSelector((s) => s.session.user?.workspace?.id),
  );
  useEffect(() => {
    void i18n.changeLanguage(language);
  }, [i18n, language]);

  if (status === 'restoring') {
    return (
      <View style={{ flex: 1, alignItems: 'center', justifyContent: 'center', backgroundColor: colors.background }}>
        <ActivityIndicator color={colors.primary} />
      </View>
    );
  }
  const base = dark ? DarkTheme : DefaultTheme;
  const navigationTheme = {
    ...base,
    colors: {
      ...base.colors,
      background: colors.background,
      card: colors.surface,
      text: colors.text,
      primary: colors.primary,
      border: colors.border,
    },
  };
  return (
    <NavigationContainer
      ref={navigationRef}
      onReady={followRoute}
      onStateChange={followRoute}
      linking={linking}
      theme={navigationTheme}
      // The tab says whose desk it is: the workspace's name once signed in.
      documentTitle={{ formatter: (options) => `${options?.title ?? 'Parley'} · ${workspaceName ?? 'Parley'}` }}
    >
      <AppFrame
        currentRoute={currentRoute}
        onGo={(place) => navigationRef.navigate(place)}
        // New route keys: every screen starts over, nothing of the old workspace stays on screen.
        onSwitched={() => navigationRef.reset({ index: 0, routes: [{ name: 'Home' }] })}
      >
        {/* A link opened while signed out (a ticket's URL) is where sign-in or registration leads. */}
        <Stack.Navigator screenOptions={{ headerShown: false }} UNSTABLE_routeNamesChangeBehavior="lastUnhandled">
          {status === 'signedIn' ? (
            <>
              <Stack.Screen name="Home" component={HomeScreen} options={{ title: 'Tickets' }} />
              <Stack.Screen name="NewTicket" component={NewTicketScreen} options={{ title: 'New ticket' }} />
              <Stack.Screen name="Ticket" component={TicketScreen} options={{ title: 'Ticket' }} />
              <Stack.Screen name="Conversations" component={ConversationsScreen} options={{ title: 'Messages' }} />
              <Stack.Screen name="NewGroup" component={NewGroupScreen} options={{ title: 'New group' }} />
              <Stack.Screen name="Chat" component={ChatScreen} options={{ title: 'Chat' }} />
              <Stack.Screen name="Contacts" component={ContactsScreen} options={{ title: 'Contacts' }} />
              <Stack.Screen name="Notifications" component={NotificationsScreen} options={{ title: 'Notifications' }} />
              <Stack.Screen name="Profile" component={ProfileScreen} options={{ title: 'Profile' }} />
              <Stack.Screen name="Saved" component={SavedScreen} options={{ title: 'Saved messages' }} />
              <Stack.Screen name="Admin" component={AdminScreen} options={{ title: 'Admin' }} />
              <Stack.Screen name="Reports" component={ReportsScreen} options={{ title: 'Reports' }} />
              <Stack.Screen name="Search" component={SearchScreen} options={{ title: 'Search' }} />
              <Stack.Screen name="Join" component={JoinScreen} options={{ title: 'Join' }} />
              <Stack.Screen name="VerifyEmail" component={VerifyEmailScreen} options={{ title: 'Verify email' }} />
              <Stack.Screen name="Unsubscribe" component={UnsubscribeScreen} options={{ title: 'Unsubscribe' }} />
              <Stack.Screen
                name="ResetPassword"
                component={ResetPasswordScreen}
                options={{ title: 'Reset password' }}
              />
            </>
          ) : (
            <>
              <Stack.Screen name="SignIn" component={SignInScreen} options={{ title: 'Sign in' }} />
              <Stack.Screen name="Register" component={RegisterScreen} options={{ title: 'Create account' }} />
              <Stack.Screen
                name="ForgotPassword"
                component={ForgotPasswordScreen}
                options={{ title: 'Forgot password' }}
              />
              <Stack.Screen
                name="ResetPassword"
                component={ResetPasswordScreen}
                options={{ title: 'Reset password' }}
              />
              <Stack.Screen name="VerifyEmail" component={VerifyEmailScreen} options={{ title: 'Verify email' }} />
              <Stack.Screen name="Unsubscribe" component={UnsubscribeScreen} options={{ title: 'Unsubscribe' }} />
              {/* In both: signing in from an invite comes back to it (the stack keeps it below). */}
              <Stack.Screen name="Join" component={JoinScreen} options={{ title: 'Join' }} />
            </>
          )}
        </Stack.Navigator>
      </AppFrame>
    </NavigationContainer>
  );
}

export function App() {
  const [store] = useState(createStore);
  useEffect(() => {
    const disconnect = connectStoreToParley(store);
    registerServiceWorker();
    void store.dispatch(loadPreferences());
    void store.dispatch(restoreSession());
    return disconnect;
  }, [store]);
  return (
    <Provider store={store}>
      <SafeAreaProvider>
        <ThemeProvider>
          <Navigator />
        </ThemeProvider>
      </SafeAreaProvider>
    </Provider>
  );
}
