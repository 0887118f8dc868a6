import type { Conversation } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { Button } from './Button';
import { CallButtons } from './CallButtons';
import { NotifyButton } from './NotifyButton';
import { PinBoard } from './PinBoard';

/**
 * Over a group's chat: its name, its topic and how many are in it (live as they change), and
 * the button that opens its info. `nameHeading` makes the name the pane's heading. Once the
 * user is out of the group, its members are no longer theirs to know: only name and topic stay.
 */
export function GroupHeader({
  group,
  nameHeading,
  infoOpen,
  onToggleInfo,
}: {
  group: Conversation;
  nameHeading: boolean;
  infoOpen: boolean;
  /** Null: the user is no longer in the group (no info to open, no members to count). */
  onToggleInfo: (() => void) | null;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const title = group.title ?? t('conversations.untitled');
  const members = onToggleInfo ? t('groups.members', { count: group.members.length }) : null;
  return (
    <View style={[styles.header, { borderBottomColor: colors.border }]}>
      <Avatar name={title} url={null} size={40} />
      <View style={styles.who}>
        <Text
          accessibilityRole={nameHeading ? 'header' : undefined}
          aria-level={nameHeading ? 2 : undefined}
          style={[styles.name, { color: colors.text }]}
          numberOfLines={1}
          testID="chat-title"
        >
          {title}
        </Text>
        <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1} testID="chat-topic">
          {[group.topic, members].filter(Boolean).join(' · ')}
        </Text>
      </View>
      {onToggleInfo ? <CallButtons conversationId={group.id} /> : null}
      {onToggleInfo ? <PinBoard conversationId={group.id} /> : null}
      {onToggleInfo ? <NotifyButton conversationId={group.id} /> : null}
      {onToggleInfo ? (
        <Button
          variant="secondary"
          label={t('groups.info')}
          expanded={infoOpen}
          onPress={onToggleInfo}
          testID="group-info-toggle"
          style={styles.info}
        />
      ) : null}
    </View>
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
  who: { marginLeft: 12, flex: 1, marginRight: 8 },
  name: { fontSize: 16, fontWeight: '700' },
  info: { marginLeft: 8 },
});
