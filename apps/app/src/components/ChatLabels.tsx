import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, View } from 'react-native';
import { can } from '../api/permissions';
import { useAppSelector } from '../store';
import { selectChat } from '../store/conversations';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { LabelChips } from './LabelChips';
import { LabelPicker } from './LabelPicker';

/**
 * Under a direct or group chat's header, for its staff members only: the chat's labels, and
 * "Labels" to open the toggles. Customers never see labels (the server leaves them out too).
 */
export function ChatLabels({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const user = useAppSelector((s) => s.session.user);
  const labels = useAppSelector((s) => selectChat(s, conversationId)?.labels);
  const [open, setOpen] = useState(false);
  if (!user || !can(user, 'tickets.work')) return null;
  return (
    <View style={[styles.bar, { borderBottomColor: colors.border }]} testID="chat-labels">
      <View style={styles.line}>
        <View style={styles.chips}>
          <LabelChips labels={labels} />
        </View>
        <Button
          variant="link"
          label={t('labels.editChat')}
          expanded={open}
          onPress={() => setOpen(!open)}
          testID="chat-labels-toggle"
        />
      </View>
      {open ? <LabelPicker of={{ conversationId }} showTitle={false} /> : null}
    </View>
  );
}

const styles = StyleSheet.create({
  bar: { paddingHorizontal: 16, paddingTop: 2, paddingBottom: 4, borderBottomWidth: 1 },
  line: { flexDirection: 'row', alignItems: 'center' },
  chips: { flex: 1, marginBottom: 4 },
});
