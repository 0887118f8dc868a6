import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActivityIndicator, StyleSheet, Text, View } from 'react-native';
import { Avatar } from '../components/Avatar';
import { ChatView } from '../components/ChatView';
import { Screen } from '../components/Screen';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { loadConversation } from '../store/conversations';
import { useTheme } from '../theme/theme';

/** A direct chat: who it is with (and whether they are online), then the conversation. */
export function ChatScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Chat'>) {
  const { id } = route.params;
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const selfId = useAppSelector((s) => s.session.user?.id);
  const conversation = useAppSelector((s) => s.conversations.byId[id]);
  const [missing, setMissing] = useState(false);
  const other = conversation?.members.find((m) => m.id !== selfId);
  const presence = useAppSelector((s) => (other ? s.live.presence[other.id] : undefined));
  const title = conversation?.title ?? other?.displayName ?? t('conversations.title');

  useEffect(() => {
    void dispatch(loadConversation(id)).then((action) => setMissing(loadConversation.rejected.match(action)));
  }, [dispatch, id]);

  useLayoutEffect(() => {
    navigation.setOptions({ title });
  }, [navigation, title]);

  if (!conversation) {
    return (
      <Screen title={t('conversations.title')}>
        {missing ? (
          <Text style={{ color: colors.textMuted }}>{t('chat.notFound')}</Text>
        ) : (
          <ActivityIndicator color={colors.primary} />
        )}
      </Screen>
    );
  }

  return (
    <Screen title={title} scroll={false}>
      {other ? (
        <View style={[styles.header, { borderBottomColor: colors.border }]}>
          <Avatar name={other.displayName} url={other.avatarUrl} size={40} presence={presence ?? 'offline'} />
          <View style={styles.who}>
            <Text style={[styles.name, { color: colors.text }]} numberOfLines={1}>
              {other.displayName}
            </Text>
            <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1} testID="chat-presence">
              {t(`presence.${presence ?? 'offline'}`)}
              {other.statusText ? ` · ${other.statusText}` : ''}
            </Text>
          </View>
        </View>
      ) : null}
      <ChatView conversationId={id} people={conversation.members} label={t('chat.timelineWith', { name: title })} />
    </Screen>
  );
}

const styles = StyleSheet.create({
  header: {
    flexDirection: 'row',
    alignItems: 'center',
    paddingHorizontal: 16,
    paddingVertical: 10,
    borderBottomWidth: 1,
  },
  who: { marginLeft: 12, flex: 1 },
  name: { fontSize: 16, fontWeight: '700' },
});
