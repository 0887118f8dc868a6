import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text } from 'react-native';
import { parley } from '../api/parley';
import { useUsers } from '../chat/users';
import { personName } from '../people/person-name';
import { useTheme } from '../theme/theme';

/**
 * Staff: which other staff have this ticket open right now ("Sam Agent is viewing"), live from
 * the server's `viewers` frames ([RT-VIEWERS]). Who is typing shows in the thread as before.
 */
export function ViewersBar({ conversationId, selfId }: { conversationId: string; selfId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [viewerIds, setViewerIds] = useState<string[]>([]);
  useEffect(() => {
    setViewerIds([]);
    return parley.realtime.on('viewers', (frame) => {
      if (frame.conversationId === conversationId) setViewerIds(frame.userIds.filter((id) => id !== selfId));
    });
  }, [conversationId, selfId]);
  const users = useUsers(viewerIds);
  if (viewerIds.length === 0) return null;
  const names = viewerIds.map((id) => personName(users.get(id), t) ?? '…').join(', ');
  return (
    <Text role="status" aria-live="polite" style={[styles.bar, { color: colors.textMuted }]}>
      {'● '}
      {t('desk.viewing', { names, count: viewerIds.length })}
    </Text>
  );
}

const styles = StyleSheet.create({
  bar: { fontSize: 12, marginTop: 4 },
});
