import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, StyleSheet, Text, View } from 'react-native';
import { conversationName } from '../chat/conversation-name';
import { Avatar } from '../components/Avatar';
import { CallButtons } from '../components/CallButtons';
import { ChatLabels } from '../components/ChatLabels';
import { ChatView } from '../components/ChatView';
import { GroupChat } from '../components/GroupChat';
import { NotifyButton } from '../components/NotifyButton';
import { PinBoard } from '../components/PinBoard';
import { Screen } from '../components/Screen';
import { SplitView } from '../components/SplitView';
import { useLayout } from '../navigation/layout';
import { seqParam } from '../navigation/linking';
import type { RootStackParamList } from '../navigation/types';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import { loadConversation, selectChat } from '../store/conversations';
import { useTheme } from '../theme/theme';
import { ConversationList } from './ConversationsScreen';

/** What a chat is called: a group's name, or the other person's. */
function useChatTitle(id: string): string {
  const { t } = useTranslation();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const conversation = useAppSelector((s) => selectChat(s, id));
  return conversation ? conversationName(conversation, selfId, t) : t('conversations.title');
}

/**
 * A chat: a group's (see GroupChat), or a direct one: who it is with (and whether they are
 * online), then the conversation. `nameHeading` makes the name the pane's heading (when the
 * screen's title is "Messages").
 */
function ChatPane({
  id,
  nameHeading,
  foundSeq,
  onLeave,
}: {
  id: string;
  nameHeading: boolean;
  foundSeq: number | null;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const selfId = useAppSelector((s) => s.session.user?.id);
  // A group the user is no longer in stays on screen, marked so (see GroupChat).
  const conversation = useAppSelector((s) => selectChat(s, id));
  const [missing, setMissing] = useState(false);
  const other = conversation?.members.find((m) => m.id !== selfId);
  const presence = useAppSelector((s) => (other ? s.live.presence[other.id] : undefined));
  const title = useChatTitle(id);

  useEffect(() => {
    void dispatch(loadConversation(id)).then((action) => setMissing(loadConversation.rejected.match(action)));
  }, [dispatch, id]);

  if (!conversation) {
    return (
      <View style={styles.pending}>
        {missing ? (
          <Text style={{ color: colors.textMuted }}>{t('chat.notFound')}</Text>
        ) : (
          <ActivityIndicator color={colors.primary} />
        )}
      </View>
    );
  }

  if (conversation.kind === 'group') {
    return <GroupChat group={conversation} nameHeading={nameHeading} foundSeq={foundSeq} onLeave={onLeave} />;
  }

  return (
    <View style={styles.fill}>
      {other ? (
        <View style={[styles.header, { borderBottomColor: colors.border }]}>
          <Avatar name={other.displayName} url={other.avatarUrl} size={40} presence={presence ?? 'offline'} />
          <View style={styles.who}>
            <Text
              accessibilityRole={nameHeading ? 'header' : undefined}
              aria-level={nameHeading ? 2 : undefined}
              style={[styles.name, { color: colors.text }]}
              numberOfLines={1}
            >
              {personName(other, t)}
            </Text>
            <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1} testID="chat-presence">
              {t(`presence.${presence ?? 'offline'}`)}
              {other.statusText ? ` · ${other.statusText}` : ''}
            </Text>
          </View>
          <CallButtons conversationId={id} />
          <PinBoard conversationId={id} />
          <NotifyButton conversationId={id} />
        </View>
      ) : null}
      <ChatLabels conversationId={id} />
      <ChatView
        conversationId={id}
        people={conversation.members}
        label={t('chat.timelineWith', { name: title })}
        foundSeq={foundSeq}
      />
    </View>
  );
}

/** A chat; on wide screens with the conversations beside it, the open one marked. */
export function ChatScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Chat'>) {
  const { id } = route.params;
  const foundSeq = seqParam(route.params.seq);
  const { t } = useTranslation();
  const { split } = useLayout();
  const title = useChatTitle(id);
  const leave = () => navigation.navigate('Conversations');

  useLayoutEffect(() => {
    navigation.setOptions({ title });
  }, [navigation, title]);

  if (split) {
    return (
      <Screen title={t('conversations.title')} scroll={false} full>
        <SplitView
          listLabel={t('conversations.title')}
          list={
            <ConversationList
              selectedId={id}
              onOpen={(next) => next !== id && navigation.push('Chat', { id: next })}
              onContacts={() => navigation.navigate('Contacts')}
              onNewGroup={() => navigation.navigate('NewGroup')}
            />
          }
          detail={<ChatPane id={id} nameHeading foundSeq={foundSeq} onLeave={leave} />}
        />
      </Screen>
    );
  }
  return (
    <Screen title={title} scroll={false}>
      <ChatPane id={id} nameHeading={false} foundSeq={foundSeq} onLeave={leave} />
    </Screen>
  );
}

const styles = StyleSheet.create({
  pending: { padding: 16 },
  fill: { flex: 1, minHeight: 0 },
  header: {
    flexDirection: 'row',
    alignItems: 'center',
    paddingHorizontal: 16,
    paddingVertical: 10,
    borderBottomWidth: 1,
  },
  who: { marginLeft: 12, flex: 1, marginRight: 8 },
  name: { fontSize: 16, fontWeight: '700' },
});
