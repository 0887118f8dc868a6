import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text } from 'react-native';
import { useTheme } from '../theme/theme';

/**
 * The message a reply answers, quoted at the top of the reply's bubble: who wrote it and its
 * first line, or that it was deleted. Pressing it opens the conversation at that message.
 */
export function ReplyQuote({
  senderName,
  excerpt,
  deleted,
  color,
  onPress,
}: {
  senderName: string;
  excerpt: string;
  deleted: boolean;
  /** The bubble's text colour: the quote is drawn in it, dimmed. */
  color: string;
  onPress?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const text = deleted ? t('chat.quoteDeleted') : excerpt;
  return (
    <Pressable
      accessibilityRole="link"
      accessibilityLabel={t('chat.quoteLabel', { name: senderName, text })}
      // Out of the Tab order like the row's other parts: the row's menu offers the jump.
      tabIndex={-1}
      onPress={onPress}
      disabled={!onPress || deleted}
      testID="reply-quote"
      style={({ hovered }: { pressed: boolean; hovered?: boolean }) => [
        styles.quote,
        { borderLeftColor: color, backgroundColor: hovered && !deleted ? colors.surface : 'transparent' },
      ]}
    >
      <Text style={[styles.sender, { color }]} numberOfLines={1}>
        {senderName}
      </Text>
      <Text style={[styles.excerpt, { color }, deleted && styles.deleted]} numberOfLines={1}>
        {text}
      </Text>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  quote: { borderLeftWidth: 3, borderRadius: 4, paddingLeft: 8, paddingVertical: 2, marginBottom: 4, opacity: 0.8 },
  sender: { fontSize: 12, fontWeight: '700' },
  excerpt: { fontSize: 13 },
  deleted: { fontStyle: 'italic' },
});
