import type { BulkTicketChange, TicketPriority, TicketStatus } from '@parley/protocol';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { useTheme } from '../theme/theme';
import { Button } from './Button';

const STATUSES: Array<Exclude<TicketStatus, 'snoozed'>> = ['open', 'in_progress', 'pending', 'closed'];
const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];

export interface BulkSelection {
  ids: ReadonlySet<string>;
  toggle(id: string): void;
  clear(): void;
}

/** Staff's choice of tickets in the queue; tickets that left the list leave the choice. */
export function useBulkSelection(visibleIds: readonly string[]): BulkSelection {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const key = visibleIds.join(',');
  useEffect(() => {
    setIds((current) => {
      const kept = [...current].filter((id) => visibleIds.includes(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [key]);
  return {
    ids,
    toggle: (id) =>
      setIds((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    clear: () => setIds(new Set()),
  };
}

/** A queue row with a checkbox before it (staff), to choose it for a bulk action. */
export function BulkRow({
  id,
  subject,
  selection,
  children,
}: {
  id: string;
  subject: string;
  selection: BulkSelection | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  if (!selection) return <>{children}</>;
  const checked = selection.ids.has(id);
  return (
    <View style={styles.row}>
      <Pressable
        accessibilityRole="checkbox"
        accessibilityLabel={t('desk.select', { subject })}
        accessibilityState={{ checked }}
        aria-checked={checked}
        onPress={() => selection.toggle(id)}
        style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
          styles.box,
          { borderColor: checked ? colors.primary : colors.border },
          checked && { backgroundColor: colors.primary },
          pressed && { opacity: 0.7 },
          focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
        ]}
      >
        {checked ? <Text style={{ color: colors.onPrimary, fontWeight: '700' }}>✓</Text> : null}
      </Pressable>
      <View style={styles.fill}>{children}</View>
    </View>
  );
}

/**
 * What to do with the chosen tickets: assign, status, priority; each ticket is changed as if by
 * hand (`POST /tickets/bulk`), and the outcome is told ("3 changed, 1 not allowed").
 */
export function BulkBar({
  selection,
  selfId,
  onDone,
}: {
  selection: BulkSelection;
  selfId: string | undefined;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const count = selection.ids.size;

  const apply = (change: BulkTicketChange) => {
    setBusy(true);
    parley.tickets
      .bulk({ ticketIds: [...selection.ids], change })
      .then(
        ({ results }) => {
          const changed = results.filter((r) => r.ok).length;
          setOutcome(t('desk.bulkResult', { changed, failed: results.length - changed }));
          selection.clear();
        },
        () => setOutcome(t('desk.bulkResult', { changed: 0, failed: count })),
      )
      .finally(() => {
        setBusy(false);
        onDone();
      });
  };

  if (count === 0) {
    return outcome ? (
      <Text role="status" style={[styles.outcome, { color: colors.textMuted }]}>
        {outcome}
      </Text>
    ) : null;
  }
  return (
    <View
      role="toolbar"
      aria-label={t('desk.bulkActions')}
      style={[styles.bar, { borderColor: colors.border, backgroundColor: colors.surface }]}
    >
      <View style={styles.line}>
        <Text style={{ color: colors.text, fontWeight: '600' }}>{t('desk.selectedCount', { count })}</Text>
        <Button variant="link" label={t('desk.clearSelection')} onPress={selection.clear} />
      </View>
      <View style={styles.line}>
        {selfId ? (
          <Button
            variant="secondary"
            label={t('desk.bulkAssignMe')}
            disabled={busy}
            onPress={() => apply({ assigneeId: selfId })}
          />
        ) : null}
        <Button
          variant="secondary"
          label={t('desk.bulkUnassign')}
          disabled={busy}
          onPress={() => apply({ assigneeId: null })}
        />
      </View>
      <View role="group" aria-label={t('desk.bulkStatus')} style={styles.line}>
        <Text style={{ color: colors.textMuted }}>{t('desk.bulkStatus')}:</Text>
        {STATUSES.map((status) => (
          <Button
            key={status}
            variant="link"
            label={t(`tickets.status.${status}`)}
            disabled={busy}
            onPress={() => apply({ status })}
          />
        ))}
      </View>
      <View role="group" aria-label={t('desk.bulkPriority')} style={styles.line}>
        <Text style={{ color: colors.textMuted }}>{t('desk.bulkPriority')}:</Text>
        {PRIORITIES.map((priority) => (
          <Button
            key={priority}
            variant="link"
            label={t(`tickets.priorities.${priority}`)}
            disabled={busy}
            onPress={() => apply({ priority })}
          />
        ))}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: 'row', alignItems: 'center', gap: 8 },
  fill: { flex: 1 },
  box: { width: 22, height: 22, borderWidth: 2, borderRadius: 4, alignItems: 'center', justifyContent: 'center' },
  bar: { marginHorizontal: 16, marginTop: 8, padding: 8, borderWidth: 1, borderRadius: 8 },
  line: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: 6 },
  outcome: { paddingHorizontal: 16, paddingTop: 8 },
});
