import type { PublicUser } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { personName } from '../people/person-name';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';

const when = (iso: string) =>
  new Date(iso).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * A ticket's description as the first entry of its thread: what the requester wrote when they
 * opened it, in full, as a message from them at that time. It is not a message (no seq, no
 * actions): the thread's messages follow it.
 */
export function DescriptionBubble({
  text,
  createdAt,
  requester,
  own,
}: {
  text: string;
  createdAt: string;
  requester: PublicUser | undefined;
  /** The reader is the requester: shown on their side, like their own messages. */
  own: boolean;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const name = own ? t('chat.you') : (personName(requester, t) ?? t('chat.someone'));
  return (
    <View
      style={[styles.row, own ? styles.own : styles.other]}
      testID="ticket-description"
      accessibilityLabel={t('tickets.descriptionLabel', { name })}
    >
      {!own ? (
        <View style={styles.avatarSlot}>
          <Avatar name={requester?.displayName ?? '?'} url={requester?.avatarUrl} size={32} />
        </View>
      ) : null}
      <View style={[styles.column, own ? styles.alignEnd : styles.alignStart]}>
        {!own ? <Text style={[styles.sender, { color: colors.textMuted }]}>{name}</Text> : null}
        <View style={[styles.bubble, { backgroundColor: own ? colors.ownBubble : colors.otherBubble }]}>
          <Text selectable style={[styles.body, { color: own ? colors.onOwnBubble : colors.text }]}>
            {text}
          </Text>
        </View>
        <Text style={[styles.meta, { color: colors.textMuted }]}>{when(createdAt)}</Text>
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', paddingHorizontal: 12, paddingVertical: 3 },
  own: { justifyContent: 'flex-end' },
  other: { justifyContent: 'flex-start' },
  avatarSlot: { width: 32, marginRight: 8, paddingTop: 18 },
  column: { maxWidth: '78%', flexShrink: 1 },
  alignEnd: { alignItems: 'flex-end' },
  alignStart: { alignItems: 'flex-start' },
  sender: { fontSize: 12, fontWeight: '600', marginBottom: 2, marginLeft: 4 },
  bubble: { borderRadius: 14, paddingHorizontal: 12, paddingVertical: 8 },
  body: { fontSize: 15, lineHeight: 21 },
  meta: { fontSize: 12, marginTop: 2, marginHorizontal: 4 },
});
