import { useNavigation } from '@react-navigation/native';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollView, StyleSheet, Text, View } from 'react-native';
import { SafeAreaView } from 'react-native-safe-area-context';
import { useAppSelector } from '../store';
import { useTheme } from '../theme/theme';
import { Badge } from './Badge';
import { Button } from './Button';

/** Top bar: back, the title, and the way to every main screen (with the notifications badge). */
function AppBar({ title, narrow }: { title: string; narrow: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const navigation = useNavigation();
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  const admin = useAppSelector((s) => s.session.user?.role === 'admin');
  const unreadNotifications = useAppSelector((s) => s.notifications.unreadCount);
  const unreadMessages = useAppSelector((s) =>
    s.conversations.ids.reduce((sum, id) => sum + (s.conversations.byId[id]?.unreadCount ?? 0), 0),
  );
  return (
    <View style={[styles.bar, { borderBottomColor: colors.border, backgroundColor: colors.surface }]}>
      <View style={[styles.column, narrow && styles.narrow]}>
        <View style={styles.titleRow}>
          {navigation.canGoBack() ? (
            <Button variant="link" label={`‹ ${t('nav.back')}`} onPress={() => navigation.goBack()} />
          ) : null}
          <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]} numberOfLines={1}>
            {title}
          </Text>
        </View>
        {signedIn ? (
          <View role="navigation" style={styles.links}>
            <Button variant="link" label={t('nav.tickets')} onPress={() => navigation.navigate('Home')} />
            <View style={styles.withBadge}>
              <Button variant="link" label={t('nav.messages')} onPress={() => navigation.navigate('Conversations')} />
              <Badge count={unreadMessages} label={t('conversations.unread', { count: unreadMessages })} />
            </View>
            <Button variant="link" label={t('nav.contacts')} onPress={() => navigation.navigate('Contacts')} />
            <View style={styles.withBadge}>
              <Button
                variant="link"
                label={t('nav.notifications')}
                onPress={() => navigation.navigate('Notifications')}
              />
              <Badge count={unreadNotifications} label={`${unreadNotifications} ${t('nav.notifications')}`} />
            </View>
            <Button variant="link" label={t('nav.profile')} onPress={() => navigation.navigate('Profile')} />
            {admin ? (
              <Button variant="link" label={t('nav.admin')} onPress={() => navigation.navigate('Admin')} />
            ) : null}
          </View>
        ) : null}
      </View>
    </View>
  );
}

/** Says so when the realtime connection is down; what is typed meanwhile waits in the outbox. */
function ConnectionBanner() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const status = useAppSelector((s) => s.live.connection);
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  if (!signedIn || (status !== 'offline' && status !== 'reconnecting')) return null;
  return (
    <View
      accessibilityRole="alert"
      testID="connection-banner"
      style={[styles.banner, { backgroundColor: colors.banner }]}
    >
      <Text style={{ color: colors.onBanner, fontWeight: '600' }}>
        {status === 'offline' ? t('app.offline') : t('app.reconnecting')}
      </Text>
    </View>
  );
}

/** Every screen's frame: safe area, app bar, connection banner, then the content. */
export function Screen({
  title,
  children,
  scroll = true,
  narrow = false,
}: {
  title: string;
  children: ReactNode;
  scroll?: boolean;
  /** A short form (sign-in): a readable column instead of the full width. */
  narrow?: boolean;
}) {
  const { colors } = useTheme();
  const column = [styles.column, narrow && styles.narrow];
  return (
    <SafeAreaView style={[styles.root, { backgroundColor: colors.background }]}>
      <AppBar title={title} narrow={narrow} />
      <ConnectionBanner />
      {scroll ? (
        <ScrollView contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled">
          <View style={column}>{children}</View>
        </ScrollView>
      ) : (
        <View style={[column, styles.fill]}>{children}</View>
      )}
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  root: { flex: 1 },
  bar: { paddingHorizontal: 12, paddingVertical: 8, borderBottomWidth: 1 },
  titleRow: { flexDirection: 'row', alignItems: 'center' },
  title: { fontSize: 20, fontWeight: '700', flexShrink: 1, paddingVertical: 4 },
  links: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', marginTop: 2 },
  withBadge: { flexDirection: 'row', alignItems: 'center' },
  banner: { paddingHorizontal: 16, paddingVertical: 8 },
  content: { padding: 16 },
  column: { width: '100%', maxWidth: 880, alignSelf: 'center' },
  narrow: { maxWidth: 440 },
  fill: { flex: 1 },
});
