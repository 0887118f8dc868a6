import type { NotifyLevel } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal, Pressable, StyleSheet, Text, useWindowDimensions, View } from 'react-native';
import { useAppDispatch, useAppSelector } from '../store';
import { setNotify } from '../store/unread';
import { useTheme } from '../theme/theme';

/** Narrower than this, the button shows its bell alone (its name stays for screen readers). */
const WORDS_MIN_WIDTH = 600;
const LEVELS: NotifyLevel[] = ['all', 'mentions', 'none'];

/**
 * What of a conversation notifies the user: everything, mentions of them only, or nothing (both
 * muted: out of their badge). The bell opens the choice; live across their devices
 * (`conversation.muted`).
 */
export function NotifyButton({ conversationId, withWords }: { conversationId: string; withWords?: boolean }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const { width } = useWindowDimensions();
  const [open, setOpen] = useState(false);
  const notify = useAppSelector((s) => s.conversations.byId[conversationId]?.notify);
  if (notify === undefined) return null;
  const words = withWords ?? width >= WORDS_MIN_WIDTH;
  const choose = (level: NotifyLevel) => {
    setOpen(false);
    if (level !== notify) void dispatch(setNotify({ id: conversationId, level }));
  };
  return (
    <>
      <Pressable
        accessibilityRole="button"
        accessibilityLabel={t(`notify.button.${notify}`)}
        testID="notify-button"
        onPress={() => setOpen(true)}
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.button,
          { borderColor: colors.border },
          pressed && { opacity: 0.7 },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        {/* The bell says how it is now: ringing, or quiet. */}
        <Text style={styles.glyph} aria-hidden>
          {notify === 'all' ? '🔔' : '🔕'}
        </Text>
        {words ? <Text style={[styles.label, { color: colors.link }]}>{t(`notify.short.${notify}`)}</Text> : null}
      </Pressable>
      {open ? (
        <Modal
          transparent
          visible
          onRequestClose={() => setOpen(false)}
          {...({ 'aria-label': t('notify.title') } as object)}
        >
          <View style={styles.backdrop}>
            <Pressable
              accessible={false}
              tabIndex={-1}
              onPress={() => setOpen(false)}
              style={[StyleSheet.absoluteFill, styles.scrim]}
            />
            <View
              role="radiogroup"
              aria-label={t('notify.title')}
              style={[styles.sheet, { backgroundColor: colors.surfaceRaised, borderColor: colors.border }]}
            >
              <Text accessibilityRole="header" style={[styles.title, { color: colors.text }]}>
                {t('notify.title')}
              </Text>
              {LEVELS.map((level) => (
                <Pressable
                  key={level}
                  accessibilityRole="radio"
                  accessibilityState={{ checked: level === notify }}
                  aria-checked={level === notify}
                  accessibilityLabel={t(`notify.level.${level}`)}
                  accessibilityHint={t(`notify.hint.${level}`)}
                  onPress={() => choose(level)}
                  style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
                    styles.option,
                    { borderTopColor: colors.border },
                    pressed && { backgroundColor: colors.surface },
                    focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
                  ]}
                >
                  <Text style={[styles.radio, { color: colors.link }]} aria-hidden>
                    {level === notify ? '◉' : '○'}
                  </Text>
                  <View style={styles.optionText}>
                    <Text style={{ color: colors.text, fontSize: 15, fontWeight: '600' }}>
                      {t(`notify.level.${level}`)}
                    </Text>
                    <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t(`notify.hint.${level}`)}</Text>
                  </View>
                </Pressable>
              ))}
            </View>
          </View>
        </Modal>
      ) : null}
    </>
  );
}

const styles = StyleSheet.create({
  button: {
    flexDirection: 'row',
    alignItems: 'center',
    minHeight: 40,
    minWidth: 40,
    paddingHorizontal: 10,
    borderRadius: 8,
    borderWidth: 1,
    justifyContent: 'center',
  },
  glyph: { fontSize: 15 },
  label: { fontSize: 15, fontWeight: '600', marginLeft: 6 },
  backdrop: { flex: 1, justifyContent: 'center', alignItems: 'center', padding: 16 },
  scrim: { backgroundColor: 'rgba(0, 0, 0, 0.4)' },
  sheet: { borderWidth: 1, borderRadius: 12, width: '100%', maxWidth: 380, paddingTop: 14 },
  title: { fontSize: 16, fontWeight: '700', paddingHorizontal: 16, marginBottom: 8 },
  option: {
    flexDirection: 'row',
    alignItems: 'flex-start',
    gap: 12,
    paddingHorizontal: 16,
    paddingVertical: 12,
    borderTopWidth: 1,
  },
  radio: { fontSize: 18, lineHeight: 22, width: 22, textAlign: 'center' },
  optionText: { flex: 1 },
});
