import type { Conversation } from '@parley/protocol';
import { useFocusEffect } from '@react-navigation/native';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { FlatList, Pressable, StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { conversationName, lastSenderName } from '../chat/conversation-name';
import { previewOf } from '../chat/message-preview';
import { Avatar } from '../components/Avatar';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { LabelChips, labelNames } from '../components/LabelChips';
import { RelativeTime, useRelativeText } from '../components/RelativeTime';
import { Screen } from '../components/Screen';
import { EmptyPane, SplitView } from '../components/SplitView';
import { useLayout } from '../navigation/layout';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { loadConversations } from '../store/conversations';
import { useTheme } from '../theme/theme';

function ConversationRow({
  conversation,
  selected,
  onPress,
}: {
  conversation: Conversation;
  selected: boolean;
  onPress: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const others = conversation.members.filter((m) => m.id !== selfId);
  // A direct chat shows the other person (and whether they are online); a group its name.
  const other = conversation.kind !== 'group' && others.length === 1 ? others[0] : undefined;
  const presence = useAppSelector((s) => (other ? (s.live.presence[other.id] ?? 'offline') : undefined));
  const name = conversationName(conversation, selfId, t);
  const last = conversation.lastMessage;
  const preview = previewOf(last, selfId, t, lastSenderName(conversation, last, selfId, t));
  const at = conversation.lastMessage?.createdAt ?? conversation.updatedAt;
  const { unreadCount: unread, mentionCount: mentions, muted } = conversation;
  // A muted conversation's unread messages ask for no attention; mentions of the user still do.
  const loud = (unread > 0 && !muted) || mentions > 0;
  const time = useRelativeText(at);
  // The visible words in their order (the count bubble's number last), so voice control finds the
  // row by what it shows.
  const label = [
    t('conversations.rowLabel', { name, time, preview }),
    conversation.labels?.length ? labelNames(conversation.labels) : null,
    muted ? t('unread.muted') : null,
    mentions > 0 ? t('unread.mentions', { count: mentions }) : null,
    unread > 0 ? t('conversations.unread', { count: unread }) : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <View style={styles.rowFrame}>
      <Pressable
        accessibilityRole="link"
        accessibilityLabel={label}
        aria-current={selected ? 'page' : undefined}
        {...anchorProps(hrefOf('Chat', { id: conversation.id }), onPress)}
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.row,
          { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
          selected && { borderColor: colors.primary, backgroundColor: colors.surface },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        <View style={styles.avatarSpace} />
        {/* A space ends each text: the words of neighbouring boxes must not run together for
          tools that read the text without its layout (axe-core's label-in-name check). */}
        <View style={styles.body}>
          <View style={styles.topLine}>
            <Text style={[styles.name, { color: colors.text, fontWeight: loud ? '700' : '600' }]} numberOfLines={1}>
              {name}{' '}
            </Text>
            <Text style={[styles.time, { color: colors.textMuted }]}>
              <RelativeTime at={at} />{' '}
            </Text>
          </View>
          <View style={styles.bottomLine}>
            <Text style={[styles.preview, { color: loud ? colors.text : colors.textMuted }]} numberOfLines={1}>
              {preview}{' '}
            </Text>
            {muted ? (
              <View role="img" aria-label={t('unread.muted')} testID="muted-marker" style={styles.marker}>
                <Text style={{ color: colors.textMuted, fontSize: 13 }}>🔕</Text>
              </View>
            ) : null}
            {mentions > 0 ? (
              <View style={styles.marker}>
                <Badge
                  count={mentions}
                  marker="@"
                  label={t('unread.mentions', { count: mentions })}
                  testID="mention-marker"
                />
              </View>
            ) : null}
            <Badge count={unread} dim={muted} label={t('conversations.unread', { count: unread })} />
          </View>
          <LabelChips labels={conversation.labels} />
        </View>
      </Pressable>
      {/* Over the row, not in it: its initials are no words of the link's name. Clicks go through
        to the row; screen readers hear the name in the row's label. */}
      <View style={styles.avatarOver} pointerEvents="none" aria-hidden>
        <Avatar name={other?.displayName ?? name} url={other?.avatarUrl} size={44} presence={presence} />
      </View>
    </View>
  );
}

/**
 * Direct messages and groups: who with, the last word, what is unread. The list alone, for the
 * Messages screen and for the column beside an open chat on wide screens.
 */
export function ConversationList({
  selectedId,
  onOpen,
  onContacts,
  onNewGroup,
}: {
  /** The conversation open beside the list, marked in it. */
  selectedId?: string;
  onOpen: (id: string) => void;
  onContacts: () => void;
  onNewGroup: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { ids, byId, loading } = useAppSelector((s) => s.conversations);

  // New conversations (someone wrote to us first) are followed live from here on.
  const refresh = useCallback(() => {
    void dispatch(loadConversations()).then((action) => {
      if (!loadConversations.fulfilled.match(action)) return;
      for (const conversation of action.payload.items) {
        if (parley.realtime.lastSeq(conversation.id) === null)
          parley.realtime.subscribe(conversation.id, conversation.lastSeq);
      }
    });
  }, [dispatch]);

  useFocusEffect(refresh);

  const items = ids.map((id) => byId[id]).filter((c): c is Conversation => !!c);
  return (
    <>
      <View style={styles.toolbar}>
        <Button variant="link" label={t('groups.newGroup')} onPress={onNewGroup} testID="new-group" />
        <Button variant="link" label={t('conversations.refresh')} onPress={refresh} busy={loading} />
      </View>
      <FlatList
        data={items}
        keyExtractor={(conversation) => conversation.id}
        renderItem={({ item }) => (
          <ConversationRow conversation={item} selected={item.id === selectedId} onPress={() => onOpen(item.id)} />
        )}
        refreshing={loading}
        onRefresh={refresh}
        contentContainerStyle={styles.list}
        ListEmptyComponent={
          loading ? null : (
            <View style={styles.empty}>
              <Text style={{ color: colors.textMuted, marginBottom: 12 }}>{t('conversations.empty')}</Text>
              <Button variant="secondary" label={t('nav.contacts')} onPress={onContacts} style={styles.emptyButton} />
            </View>
          )
        }
      />
    </>
  );
}

/** The Messages place: the conversations; on wide screens with room beside them for a chat. */
export function ConversationsScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Conversations'>) {
  const { t } = useTranslation();
  const { split } = useLayout();
  const list = (
    <ConversationList
      onOpen={(id) => navigation.navigate('Chat', { id })}
      onContacts={() => navigation.navigate('Contacts')}
      onNewGroup={() => navigation.navigate('NewGroup')}
    />
  );
  return (
    <Screen title={t('conversations.title')} scroll={false} full={split}>
      {split ? (
        <SplitView
          listLabel={t('conversations.title')}
          list={list}
          detail={<EmptyPane text={t('conversations.pickOne')} />}
        />
      ) : (
        list
      )}
    </Screen>
  );
}

const styles = StyleSheet.create({
  toolbar: { flexDirection: 'row', justifyContent: 'space-between', paddingHorizontal: 16, paddingTop: 8 },
  list: { padding: 16, paddingTop: 4 },
  rowFrame: { marginBottom: 8 },
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12 },
  avatarSpace: { width: 44, height: 44 },
  // Where the space is: the border and padding (1 + 12) in, centred in the row's height.
  avatarOver: { position: 'absolute', left: 13, top: 0, bottom: 0, justifyContent: 'center' },
  body: { flex: 1, marginLeft: 12 },
  topLine: { flexDirection: 'row', alignItems: 'baseline', marginBottom: 2 },
  name: { flex: 1, fontSize: 16, marginRight: 8 },
  time: { fontSize: 12 },
  bottomLine: { flexDirection: 'row', alignItems: 'center' },
  preview: { flex: 1, fontSize: 14, marginRight: 8 },
  marker: { marginRight: 6 },
  empty: { padding: 16, alignItems: 'flex-start' },
  emptyButton: { alignSelf: 'flex-start' },
});
