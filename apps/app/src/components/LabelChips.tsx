import type { LabelChip } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';

/** Black or white, whichever reads better on the label's colour. */
export function textOn(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.55 ? '#111111' : '#ffffff';
}

/** A ticket's or conversation's labels as small coloured pills (staff only; nothing when none). */
export function LabelChips({ labels }: { labels: LabelChip[] | undefined }) {
  const { t } = useTranslation();
  if (!labels || labels.length === 0) return null;
  return (
    <View
      style={styles.row}
      accessibilityLabel={t('labels.chips', { names: labels.map((l) => l.name).join(', ') })}
      testID="label-chips"
    >
      {labels.map((label) => (
        <LabelPill key={label.id} label={label} />
      ))}
    </View>
  );
}

export function LabelPill({ label }: { label: Pick<LabelChip, 'name' | 'colour'> }) {
  return (
    <View style={[styles.pill, { backgroundColor: label.colour }]}>
      <Text style={[styles.text, { color: textOn(label.colour) }]}>{label.name} </Text>
    </View>
  );
}

/** The labels' names for the row's accessible name. */
export const labelNames = (labels: LabelChip[] | undefined) => (labels ?? []).map((l) => l.name).join(', ');

const styles = StyleSheet.create({
  row: { flexDirection: 'row', flexWrap: 'wrap', gap: 4, marginTop: 4 },
  pill: { borderRadius: 10, paddingHorizontal: 8, paddingVertical: 2 },
  text: { fontSize: 12, fontWeight: '600' },
});
