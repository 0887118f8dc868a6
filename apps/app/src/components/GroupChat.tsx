import type { Conversation } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollView, StyleSheet, Text, View, useWindowDimensions } from 'react-native';
import { useAppSelector } from '../store';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { ChatView } from './ChatView';
import { ChatLabels } from './ChatLabels';
import { GroupHeader } from './GroupHeader';
import { GroupInfoPanel } from './GroupInfoPanel';

/** At least this wide, the group's info sits beside the thread; narrower, it takes the thread's place. */
const INFO_BESIDE_MIN = 900;

/** Where the composer was, once the user is out of the group: said at once, and a way back. */
function GroupEnded({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View
      accessibilityRole="alert"
      testID="group-ended"
      style={[styles.ended, { borderTopColor: colors.border, backgroundColor: colors.surface }]}
    >
      <Text style={[styles.endedTitle, { color: colors.text }]}>{t('groups.removedNotice')}</Text>
      <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>{t('groups.removedHint')}</Text>
      <Button variant="secondary" label={t('groups.backToMessages')} onPress={onBack} style={styles.back} />
    </View>
  );
}

/**
 * A group's chat: its header, the thread and, when opened, its info (beside the thread on wide
 * screens). Once the user is out of the group (removed, or left on another device) the thread
 * stays as it was, up to the line saying so, and the composer gives way to a notice.
 */
export function GroupChat({
  group,
  nameHeading,
  foundSeq,
  onLeave,
}: {
  group: Conversation;
  nameHeading: boolean;
  foundSeq: number | null;
  /** Away from this group: to the conversations (the user left it, or chose to go back). */
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const { width } = useWindowDimensions();
  const selfId = useAppSelector((s) => s.session.user?.id ?? '');
  const member = useAppSelector((s) => !!s.conversations.byId[group.id]);
  const [infoOpen, setInfoOpen] = useState(false);
  const beside = width >= INFO_BESIDE_MIN;
  const showInfo = infoOpen && member;
  const title = group.title ?? t('conversations.untitled');

  const chat = (
    <ChatView
      conversationId={group.id}
      people={group.members}
      label={t('groups.timeline', { title })}
      foundSeq={foundSeq}
      threadPath={`/messages/${group.id}`}
      ended={member ? null : <GroupEnded onBack={onLeave} />}
    />
  );
  const info = showInfo ? (
    <ScrollView
      role="complementary"
      aria-label={t('groups.info')}
      style={beside ? [styles.side, { borderLeftColor: colors.border }] : styles.fill}
      contentContainerStyle={styles.sideContent}
    >
      <GroupInfoPanel group={group} selfId={selfId} onLeft={onLeave} />
    </ScrollView>
  ) : null;

  return (
    <View style={styles.fill}>
      <GroupHeader
        group={group}
        nameHeading={nameHeading}
        infoOpen={showInfo}
        onToggleInfo={member ? () => setInfoOpen((open) => !open) : null}
      />
      {member ? <ChatLabels conversationId={group.id} /> : null}
      <View style={styles.columns}>
        {/* Kept mounted while the info covers it on a phone: its place and draft stay. */}
        <View style={[styles.fill, showInfo && !beside && styles.hidden]}>{chat}</View>
        {info}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  fill: { flex: 1, minHeight: 0 },
  hidden: { display: 'none' },
  columns: { flex: 1, flexDirection: 'row', minHeight: 0 },
  side: { width: 320, flexGrow: 0, borderLeftWidth: 1 },
  sideContent: { padding: 12 },
  ended: { borderTopWidth: 1, padding: 16 },
  endedTitle: { fontSize: 15, fontWeight: '700', marginBottom: 2 },
  back: { alignSelf: 'flex-start' },
});
