import type { NotificationItem } from '@parley/protocol';
import { useFocusEffect } from '@react-navigation/native';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { FlatList, Pressable, StyleSheet, Text, View } from 'react-native';
import { personName } from '../people/person-name';
import { useUsers } from '../chat/users';
import { Button } from '../components/Button';
import { RelativeTime, useRelativeText } from '../components/RelativeTime';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { loadNotifications, markAllNotificationsRead, markNotificationRead } from '../store/notifications';
import { useTheme } from '../theme/theme';

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Who an entry written before notifications named their sender is about. */
const actorOf = (n: NotificationItem) => (n.sender ? undefined : (str(n.data.fromUserId) ?? str(n.data.byUserId)));

/** Kinds said as a sentence naming who and where; the rest as what happened, then from whom. */
const SENTENCES = new Set([
  'ticket.created',
  'ticket.assigned',
  'ticket.message',
  'ticket.closed',
  'ticket.reopened',
  'ticket.follow_up',
  'ticket.opened_for_you',
  'direct.message',
  'message.mention',
]);

/** The entry's text in the reader's language, from its structured data (the server stores no prose). */
function useSentence(item: NotificationItem, fallbackName: string | undefined): string {
  const { t } = useTranslation();
  const name = personName(item.sender, t) ?? fallbackName;
  const namesTicket = !item.kind.startsWith('ticket.') || item.subject !== null;
  if (name && namesTicket && SENTENCES.has(item.kind)) {
    return t(`notifications.says.${item.kind}`, { name, subject: item.subject ?? '' });
  }
  const kinds = t('notifications.kinds', { returnObjects: true }) as unknown as Record<string, string>;
  return [kinds[item.kind] ?? item.kind, name ? t('notifications.from', { name }) : null].filter(Boolean).join(', ');
}

function NotificationRow({
  item,
  actorName,
  onPress,
}: {
  item: NotificationItem;
  actorName: string | undefined;
  onPress: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const text = useSentence(item, actorName);
  const unread = !item.readAt;
  const count = unread && item.count > 1 ? t('notifications.newCount', { count: item.count }) : null;
  const spoken = [text, item.preview].filter(Boolean).join(', ');
  const time = useRelativeText(item.updatedAt);
  return (
    <Pressable
      accessibilityRole="link"
      // The visible words in their order (voice control users say what they see), then the state.
      accessibilityLabel={t(
        count ? 'notifications.rowLabelNew' : unread ? 'notifications.rowLabelUnread' : 'notifications.rowLabel',
        { text: spoken, time, count },
      )}
      onPress={onPress}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.row,
        {
          borderColor: unread ? colors.primary : colors.border,
          backgroundColor: pressed || !unread ? colors.surface : colors.surfaceRaised,
        },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <View style={[styles.dot, { backgroundColor: unread ? colors.primary : 'transparent' }]} />
      {/* A space ends each text: the words of neighbouring boxes must not run together for
          tools that read the text without its layout (axe-core's label-in-name check). */}
      <View style={styles.body}>
        <Text style={[styles.text, { color: colors.text, fontWeight: unread ? '700' : '400' }]} numberOfLines={2}>
          {text}{' '}
        </Text>
        {item.preview ? (
          <Text style={[styles.preview, { color: colors.text }]} numberOfLines={2}>
            {item.preview}{' '}
          </Text>
        ) : null}
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>
          <RelativeTime at={item.updatedAt} />{' '}
        </Text>
      </View>
      {count ? (
        <Text style={[styles.count, { color: colors.onPrimary, backgroundColor: colors.primary }]}>{count}</Text>
      ) : unread ? (
        <Text style={[styles.unread, { color: colors.link }]}>{t('notifications.unread')}</Text>
      ) : null}
    </Pressable>
  );
}

/** What happened while I looked elsewhere; each opens what it is about. */
export function NotificationsScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Notifications'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { items, unreadCount, loading } = useAppSelector((s) => s.notifications);
  const users = useUsers(items.map(actorOf));

  const refresh = useCallback(() => void dispatch(loadNotifications()), [dispatch]);
  useFocusEffect(refresh);

  const open = (item: NotificationItem) => {
    // Opening the ticket or chat would clear it too (the server hears what is on screen), but not offline.
    if (!item.readAt) void dispatch(markNotificationRead(item.id));
    const ticketId = item.ticketId ?? str(item.data.ticketId);
    const conversationId = item.conversationId ?? str(item.data.conversationId);
    if (ticketId) navigation.navigate('Ticket', { id: ticketId });
    else if ((item.kind === 'direct.message' || item.kind === 'message.mention') && conversationId) {
      navigation.navigate('Chat', { id: conversationId });
    } else if (item.kind.startsWith('friend_request.')) navigation.navigate('Contacts');
    else if (item.kind === 'webhook.disabled') navigation.navigate('Admin');
    else if (item.kind === 'data_export.ready') navigation.navigate('Profile');
  };

  return (
    <Screen title={t('notifications.title')} scroll={false}>
      <View style={styles.toolbar}>
        <Button variant="link" label={t('notifications.refresh')} onPress={refresh} busy={loading} />
        <Button
          variant="secondary"
          label={t('notifications.markAll')}
          onPress={() => void dispatch(markAllNotificationsRead())}
          disabled={unreadCount === 0}
        />
      </View>
      <FlatList
        data={items}
        keyExtractor={(item) => item.id}
        renderItem={({ item }) => {
          const actorId = actorOf(item);
          return (
            <NotificationRow
              item={item}
              actorName={actorId ? personName(users.get(actorId), t) : undefined}
              onPress={() => open(item)}
            />
          );
        }}
        refreshing={loading}
        onRefresh={refresh}
        contentContainerStyle={styles.list}
        ListEmptyComponent={
          loading ? null : <Text style={{ color: colors.textMuted, padding: 16 }}>{t('notifications.empty')}</Text>
        }
      />
    </Screen>
  );
}

const styles = StyleSheet.create({
  toolbar: {
    flexDirection: 'row',
    justifyContent: 'flex-end',
    alignItems: 'center',
    gap: 8,
    paddingHorizontal: 16,
    paddingTop: 8,
    paddingBottom: 4,
  },
  list: { padding: 16, paddingTop: 4 },
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  dot: { width: 10, height: 10, borderRadius: 5, marginRight: 12 },
  body: { flex: 1, marginRight: 8 },
  text: { fontSize: 15, marginBottom: 2 },
  preview: { fontSize: 14, marginBottom: 2 },
  count: {
    fontSize: 12,
    fontWeight: '700',
    borderRadius: 10,
    paddingHorizontal: 8,
    paddingVertical: 2,
    overflow: 'hidden',
  },
  unread: { fontSize: 12, fontWeight: '700' },
});
