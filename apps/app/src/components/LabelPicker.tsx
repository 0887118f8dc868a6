import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { useAppDispatch, useAppSelector } from '../store';
import { setConversationLabels } from '../store/conversations';
import { loadLabels } from '../store/labels';
import { setTicketLabels } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { FormErrorText } from './FormErrorText';
import { textOn } from './LabelChips';

/** What carries the labels: a ticket, or a direct or group chat (labelled by its staff members). */
export type Labelled = { ticketId: string } | { conversationId: string };

/**
 * Staff: the workspace's labels as toggles on a ticket or chat (a checkbox each); a change
 * applies at once and every agent looking at it sees it live.
 */
export function LabelPicker({ of: target, showTitle = true }: { of: Labelled; showTitle?: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { items, loaded } = useAppSelector((s) => s.labels);
  const current =
    useAppSelector((s) =>
      'ticketId' in target
        ? s.tickets.byId[target.ticketId]?.labels
        : s.conversations.byId[target.conversationId]?.labels,
    ) ?? [];
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    if (!loaded) void dispatch(loadLabels());
  }, [dispatch, loaded]);
  const has = (id: string) => current.some((l) => l.id === id);
  const toggle = async (id: string) => {
    const labelIds = has(id) ? current.filter((l) => l.id !== id).map((l) => l.id) : [...current.map((l) => l.id), id];
    try {
      await (
        'ticketId' in target
          ? dispatch(setTicketLabels({ ticketId: target.ticketId, labelIds }))
          : dispatch(setConversationLabels({ conversationId: target.conversationId, labelIds }))
      ).unwrap();
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  };
  return (
    <View style={styles.section}>
      {showTitle ? <Text style={[styles.title, { color: colors.textMuted }]}>{t('labels.title')}</Text> : null}
      <View
        style={styles.chips}
        role="group"
        aria-label={t('ticketId' in target ? 'labels.picker' : 'labels.chatPicker')}
      >
        {items.length === 0 && loaded ? (
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('labels.none')}</Text>
        ) : null}
        {items.map((label) => {
          const on = has(label.id);
          return (
            <Pressable
              key={label.id}
              accessibilityRole="checkbox"
              accessibilityState={{ checked: on }}
              aria-checked={on}
              accessibilityLabel={t('labels.toggle', { name: label.name })}
              onPress={() => void toggle(label.id)}
              style={({ focused }: { pressed: boolean; focused?: boolean }) => [
                styles.chip,
                { borderColor: label.colour, backgroundColor: on ? label.colour : colors.surfaceRaised },
                focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
              ]}
            >
              <Text style={{ color: on ? textOn(label.colour) : colors.text, fontSize: 13, fontWeight: '600' }}>
                {on ? '✓ ' : ''}
                {label.name}
              </Text>
            </Pressable>
          );
        })}
      </View>
      <FormErrorText message={error && errorText(t, error)} />
    </View>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 10 },
  title: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6 },
  chip: { borderWidth: 2, borderRadius: 16, paddingHorizontal: 12, paddingVertical: 5 },
});
