import type { SavedMessage } from '@parley/protocol';
import { useFocusEffect } from '@react-navigation/native';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, FlatList, Pressable, StyleSheet, Text, View } from 'react-native';
import { conversationName } from '../chat/conversation-name';
import { previewOf } from '../chat/message-preview';
import { useUsers } from '../chat/users';
import { Button } from '../components/Button';
import { RelativeTime } from '../components/RelativeTime';
import { Screen } from '../components/Screen';
import { errorText } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector, type RootState } from '../store';
import { loadConversation, selectChat } from '../store/conversations';
import { loadMoreSaved, loadSaved, setSaved } from '../store/saved-messages';
import { loadTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';

/** Where a saved message opens: its ticket's thread, or its chat, at the message. */
type Target =
  { route: 'Ticket'; params: { id: string; seq: number } } | { route: 'Chat'; params: { id: string; seq: number } };

/**
 * Where each saved message was written, as far as the app knows: conversations not met yet
 * (and the tickets of ticket threads, for their subjects) are read once each.
 */
function usePlaces(items: readonly SavedMessage[]) {
  const dispatch = useAppDispatch();
  const asked = useRef(new Set<string>());
  const conversations = useAppSelector((s) => s.conversations);
  const tickets = useAppSelector((s) => s.tickets.byId);
  const state = { conversations } as Pick<RootState, 'conversations'>;
  useEffect(() => {
    for (const { message } of items) {
      const id = message.conversationId;
      const conversation = selectChat(state, id);
      if (!conversation && !asked.current.has(id)) {
        asked.current.add(id);
        void dispatch(loadConversation(id));
      }
      const ticketId = conversation?.ticketId;
      if (ticketId && !tickets[ticketId] && !asked.current.has(ticketId)) {
        asked.current.add(ticketId);
        void dispatch(loadTicket(ticketId));
      }
    }
  });
  return {
    conversationOf: (id: string) => selectChat(state, id),
    subjectOf: (ticketId: string) => tickets[ticketId]?.subject,
  };
}

function SavedRow({
  item,
  senderName,
  placeName,
  target,
  onOpen,
  onRemove,
}: {
  item: SavedMessage;
  senderName: string;
  placeName: string;
  target: Target | null;
  onOpen: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { message } = item;
  const text = previewOf(message, undefined, t);
  const href = target ? hrefOf(target.route, target.params) : '#';
  return (
    <View style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <Pressable
        accessibilityRole="link"
        {...anchorProps(href, onOpen)}
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.open,
          pressed && { backgroundColor: colors.surface },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        {/* A space ends each text: the words of neighbouring boxes must not run together for
            tools that read the text without its layout (axe-core's label-in-name check). */}
        <Text style={[styles.meta, { color: colors.textMuted }]} numberOfLines={1}>
          {senderName} · {placeName}
          {message.kind === 'note' ? ` · ${t('chat.note')}` : ''} · <RelativeTime at={message.createdAt} />{' '}
        </Text>
        <Text style={[styles.body, { color: colors.text }]} numberOfLines={3}>
          {text}{' '}
        </Text>
      </Pressable>
      <Button
        variant="link"
        label={t('saved.removeShort')}
        accessibilityLabel={t('saved.removeLabel', { text })}
        onPress={onRemove}
      />
    </View>
  );
}

/**
 * The user's saved messages, newest saved first: who wrote each, where, and when; each opens
 * its thread at the message. Pages in as the list is scrolled (or with "Show more"); saves on
 * the user's other devices come in live (store/saved-messages.ts), and the first page is read
 * again whenever the screen is shown.
 */
export function SavedScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Saved'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { items, nextCursor, loaded, loading, failed } = useAppSelector((s) => s.savedMessages);
  const selfId = useAppSelector((s) => s.session.user?.id);
  const users = useUsers(items.map((item) => item.message.senderId));
  const { conversationOf, subjectOf } = usePlaces(items);

  const refresh = useCallback(() => void dispatch(loadSaved()), [dispatch]);
  useFocusEffect(refresh);

  const senderName = (id: string | null) =>
    id === null
      ? t('app.name')
      : id === selfId
        ? t('chat.youSender')
        : (personName(users.get(id), t) ?? t('chat.someone'));
  const placeName = (conversationId: string) => {
    const conversation = conversationOf(conversationId);
    if (!conversation) return '…';
    if (conversation.ticketId) return subjectOf(conversation.ticketId) ?? t('saved.ticket');
    const name = conversationName(conversation, selfId, t);
    return conversation.kind === 'direct' ? t('saved.chatWith', { name }) : name;
  };
  const targetOf = (item: SavedMessage): Target | null => {
    const conversation = conversationOf(item.message.conversationId);
    if (!conversation) return null;
    const { seq } = item.message;
    return conversation.ticketId
      ? { route: 'Ticket', params: { id: conversation.ticketId, seq } }
      : { route: 'Chat', params: { id: conversation.id, seq } };
  };
  const open = (item: SavedMessage) => {
    const target = targetOf(item);
    if (target) return navigation.navigate(target.route, target.params);
    // Not read yet (a slow answer): read it now, then go.
    void dispatch(loadConversation(item.message.conversationId)).then((action) => {
      if (!loadConversation.fulfilled.match(action)) return;
      const { id, ticketId } = action.payload;
      const { seq } = item.message;
      if (ticketId) navigation.navigate('Ticket', { id: ticketId, seq });
      else navigation.navigate('Chat', { id, seq });
    });
  };

  return (
    <Screen title={t('saved.title')} scroll={false}>
      <FlatList
        data={items}
        keyExtractor={(item) => item.message.id}
        renderItem={({ item }) => (
          <SavedRow
            item={item}
            senderName={senderName(item.message.senderId)}
            placeName={placeName(item.message.conversationId)}
            target={targetOf(item)}
            onOpen={() => open(item)}
            onRemove={() => void dispatch(setSaved({ message: item.message, saved: false }))}
          />
        )}
        contentContainerStyle={styles.list}
        onEndReached={() => dispatch(loadMoreSaved())}
        onEndReachedThreshold={0.5}
        ListHeaderComponent={
          failed ? (
            <View style={styles.failed}>
              <Text accessibilityRole="alert" style={{ color: colors.danger }}>
                {errorText(t, { code: failed, fields: {} })}
              </Text>
              <Button variant="link" label={t('saved.tryAgain')} onPress={refresh} />
            </View>
          ) : null
        }
        ListEmptyComponent={
          !loaded ? (
            loading ? (
              <ActivityIndicator color={colors.primary} style={styles.spinner} />
            ) : null
          ) : (
            <Text style={{ color: colors.textMuted, padding: 16 }}>{t('saved.empty')}</Text>
          )
        }
        ListFooterComponent={
          nextCursor ? (
            <Button
              variant="secondary"
              label={t('saved.more')}
              busy={loading}
              onPress={() => dispatch(loadMoreSaved())}
              style={styles.more}
            />
          ) : null
        }
      />
    </Screen>
  );
}

const styles = StyleSheet.create({
  list: { padding: 16 },
  row: {
    flexDirection: 'row',
    alignItems: 'center',
    borderWidth: 1,
    borderRadius: 10,
    marginBottom: 8,
    paddingRight: 6,
  },
  open: { flex: 1, padding: 12, borderRadius: 10 },
  meta: { fontSize: 13, marginBottom: 4 },
  body: { fontSize: 15, lineHeight: 21 },
  failed: { flexDirection: 'row', alignItems: 'center', gap: 8, marginBottom: 8 },
  spinner: { marginTop: 24 },
  more: { alignSelf: 'center', marginTop: 8 },
});
