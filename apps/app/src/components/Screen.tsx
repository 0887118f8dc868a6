import { useNavigation } from '@react-navigation/native';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollView, StyleSheet, Text, View } from 'react-native';
import { SafeAreaView } from 'react-native-safe-area-context';
import { useLayout } from '../navigation/layout';
import { useAppSelector } from '../store';
import { useTheme } from '../theme/theme';
import { Button } from './Button';

/** The header: back (where there is a way back) and the title, compact on phones. */
function AppBar({ title, narrow, compact }: { title: string; narrow: boolean; compact: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const navigation = useNavigation();
  return (
    <View
      style={[
        styles.bar,
        compact && styles.compactBar,
        { borderBottomColor: colors.border, backgroundColor: colors.surface },
      ]}
    >
      <View style={[styles.titleRow, narrow && [styles.column, styles.narrow]]}>
        {navigation.canGoBack() ? (
          <Button variant="link" label={`‹ ${t('nav.back')}`} onPress={() => navigation.goBack()} />
        ) : null}
        <Text
          accessibilityRole="header"
          style={[styles.title, compact && styles.compactTitle, { color: colors.text }]}
          numberOfLines={1}
        >
          {title}
        </Text>
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
  full = false,
}: {
  title: string;
  children: ReactNode;
  scroll?: boolean;
  /** A short form (sign-in): a readable column instead of the full width. */
  narrow?: boolean;
  /** Panes side by side (a list and what it opens): the whole width, edge to edge. */
  full?: boolean;
}) {
  const { colors } = useTheme();
  const layout = useLayout();
  const signedIn = useAppSelector((s) => s.session.status === 'signedIn');
  // The tab bar below keeps clear of the home indicator itself.
  const tabBar = signedIn && layout.nav === 'tabs';
  const column = full ? [] : [styles.column, narrow && styles.narrow];
  return (
    <SafeAreaView
      edges={tabBar ? ['top', 'left', 'right'] : undefined}
      style={[styles.root, { backgroundColor: colors.background }]}
    >
      <AppBar title={title} narrow={narrow} compact={layout.nav === 'tabs'} />
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
  compactBar: { paddingHorizontal: 8, paddingVertical: 2 },
  title: { fontSize: 20, fontWeight: '700', flexShrink: 1, paddingVertical: 4 },
  compactTitle: { fontSize: 17 },
  banner: { paddingHorizontal: 16, paddingVertical: 8 },
  content: { padding: 16 },
  column: { width: '100%', maxWidth: 880, alignSelf: 'center' },
  narrow: { maxWidth: 440 },
  fill: { flex: 1 },
});
