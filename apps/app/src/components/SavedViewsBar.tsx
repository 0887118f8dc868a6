import type { SavedView, SlaState, TicketSort, TicketView } from '@parley/protocol';
import { TICKET_SORTS } from '@parley/protocol/constants';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { can } from '../api/permissions';
import { errorText } from '../i18n/error-text';
import { useAppDispatch, useAppSelector } from '../store';
import { createSavedView, deleteSavedView, loadSavedViews, updateSavedView } from '../store/saved-views';
import { loadTicketCounts, loadTickets, setFilters, setSort, setSortField, type TicketFilters } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { Chip } from './Chip';
import { FilterGroup } from './FilterGroup';
import { TextField } from './TextField';

type Form = { mode: 'save' } | { mode: 'rename'; view: SavedView };

/** The filters the queue's chips know, from a view's stored filter (others apply on the server). */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0 ? value : undefined;

/** What the queue's chips can show and change; a view filtering by more (a requester) is changed by REST. */
const QUEUE_FILTERS = new Set(['view', 'status', 'priority', 'assigneeId', 'q', 'labelIds', 'sla', 'teamId', 'fields']);
const editableHere = (view: SavedView) => Object.keys(view.filter).every((key) => QUEUE_FILTERS.has(key));

/** The queue's filters as a view stores them: the set ones only, without the open view. */
function filterOf({ viewId: _open, ...filters }: TicketFilters) {
  return Object.fromEntries(
    Object.entries({ ...filters, q: filters.q?.trim() || undefined }).filter(
      ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  );
}

/**
 * The saved views beside the built-in queues (staff): each with its live count; opening one
 * applies its filter and sort; "Save as view" keeps the current filters and sort, personal or
 * (with `settings.manage`) shared; the open view can be renamed or deleted by whoever may, and
 * after changing the filters or sort of a view they opened, "Update view" saves them into it.
 */
export function SavedViewsBar() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const views = useAppSelector((s) => s.savedViews.items);
  const { filters, sort, sortField } = useAppSelector((s) => s.tickets);
  const [form, setForm] = useState<Form | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'personal' | 'shared'>('personal');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The view last opened: changing a filter closes it, and it can then take the new filters. */
  const [opened, setOpened] = useState<string | null>(null);
  const mayShare = can(user, 'settings.manage');
  const workspaceId = user?.workspace?.id;

  useEffect(() => {
    void dispatch(loadSavedViews());
  }, [dispatch, workspaceId]);

  const active = views.find((v) => v.id === filters.viewId);
  const mayChange = (view: SavedView) => (view.scope === 'shared' ? mayShare : view.ownerId === user?.id);

  const open = (view: SavedView) => {
    const f = view.filter;
    // Its sort goes with it (choosing a sort closes a view, so first).
    const sort = TICKET_SORTS.find((known): known is TicketSort => known === view.sort);
    dispatch(setSortField(view.sortField ?? undefined));
    dispatch(setSort(sort ?? 'updated'));
    dispatch(
      setFilters({
        view: str(f.view) as TicketView | undefined,
        status: str(f.status) as SavedViewStatus,
        priority: str(f.priority) as SavedViewPriority,
        assigneeId: str(f.assigneeId),
        q: str(f.q),
        labelIds: strings(f.labelIds),
        sla: str(f.sla) as SlaState | undefined,
        teamId: str(f.teamId),
        // One filter is stored as a string, several as a list.
        fields: str(f.fields) !== undefined ? [str(f.fields)!] : strings(f.fields),
        viewId: view.id,
      }),
    );
    setOpened(view.id);
    void dispatch(loadTickets());
    void dispatch(loadTicketCounts());
  };

  const startSave = () => {
    setForm({ mode: 'save' });
    setName('');
    setScope('personal');
    setError(null);
  };

  const submit = async () => {
    if (!form) return;
    if (!name.trim()) {
      setError(t('savedViews.nameRequired'));
      return;
    }
    setBusy(true);
    const filter = filterOf(filters);
    const result =
      form.mode === 'save'
        ? await dispatch(createSavedView({ name: name.trim(), scope, filter, sort, ...(sortField && { sortField }) }))
        : await dispatch(updateSavedView({ id: form.view.id, changes: { name: name.trim() } }));
    setBusy(false);
    if (createSavedView.rejected.match(result) || updateSavedView.rejected.match(result)) {
      setError(result.payload ? errorText(t, result.payload) : t('errors.internal'));
      return;
    }
    setForm(null);
    if (form.mode === 'save' && createSavedView.fulfilled.match(result))
      dispatch(setFilters({ ...filters, viewId: result.payload.id }));
  };

  /** The view opened before the filters or sort changed, when this reader may change it here. */
  const changedFrom = views.find((v) => v.id === opened && filters.viewId !== v.id);
  const updatable = changedFrom && mayChange(changedFrom) && editableHere(changedFrom) ? changedFrom : undefined;

  const update = async (view: SavedView) => {
    setBusy(true);
    const result = await dispatch(
      updateSavedView({ id: view.id, changes: { filter: filterOf(filters), sort, sortField: sortField ?? null } }),
    );
    setBusy(false);
    if (updateSavedView.rejected.match(result)) {
      setError(result.payload ? errorText(t, result.payload) : t('errors.internal'));
      return;
    }
    setError(null);
    dispatch(setFilters({ ...filters, viewId: view.id }));
  };

  const remove = async (view: SavedView) => {
    await dispatch(deleteSavedView(view.id));
    if (filters.viewId === view.id) {
      dispatch(setFilters({}));
      void dispatch(loadTickets());
    }
  };

  const label = (view: SavedView) =>
    view.needsAttention || view.count === null
      ? t('savedViews.needsAttention', { name: view.name })
      : t('savedViews.withCount', { name: view.name, count: view.count });

  return (
    <View style={styles.bar}>
      <View style={styles.group}>
        <Text style={[styles.label, { color: colors.textMuted }]}>{t('savedViews.label')}</Text>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('savedViews.label')}>
          {views.map((view) => (
            <Chip key={view.id} label={label(view)} selected={view.id === filters.viewId} onPress={() => open(view)} />
          ))}
          {form === null ? <Button variant="link" label={t('savedViews.saveAs')} onPress={startSave} /> : null}
        </View>
      </View>
      {active?.needsAttention ? (
        <Text style={{ color: colors.danger, marginBottom: 6 }}>{t('savedViews.attentionHint')}</Text>
      ) : null}
      {updatable && form === null ? (
        <View style={styles.actions}>
          <Button
            variant="link"
            label={t('savedViews.update', { name: updatable.name })}
            busy={busy}
            onPress={() => void update(updatable)}
          />
          {error ? <Text style={{ color: colors.danger }}>{error}</Text> : null}
        </View>
      ) : null}
      {active && mayChange(active) && form === null ? (
        <View style={styles.actions}>
          <Button
            variant="link"
            label={t('savedViews.rename')}
            onPress={() => {
              setForm({ mode: 'rename', view: active });
              setName(active.name);
              setError(null);
            }}
          />
          <Button variant="danger" label={t('savedViews.delete')} onPress={() => void remove(active)} />
        </View>
      ) : null}
      {form ? (
        <View style={[styles.form, { borderColor: colors.border }]}>
          <TextField label={t('savedViews.name')} value={name} onChangeText={setName} error={error ?? undefined} />
          {form.mode === 'save' && mayShare ? (
            <FilterGroup
              label={t('savedViews.whoSees')}
              options={[
                { value: 'personal' as const, label: t('savedViews.personal') },
                { value: 'shared' as const, label: t('savedViews.shared') },
              ]}
              selected={scope}
              onSelect={setScope}
              countLabel={(l) => l}
            />
          ) : null}
          <View style={styles.actions}>
            <Button
              label={form.mode === 'save' ? t('savedViews.save') : t('savedViews.saveName')}
              busy={busy}
              onPress={() => void submit()}
            />
            <Button variant="secondary" label={t('savedViews.cancel')} onPress={() => setForm(null)} />
          </View>
        </View>
      ) : null}
    </View>
  );
}

type SavedViewStatus = 'open' | 'in_progress' | 'pending' | 'snoozed' | 'closed' | undefined;
type SavedViewPriority = 'low' | 'medium' | 'high' | 'urgent' | undefined;

const styles = StyleSheet.create({
  bar: { marginBottom: 4 },
  group: { flexDirection: 'row', alignItems: 'baseline', flexWrap: 'wrap' },
  label: { fontSize: 12, fontWeight: '700', textTransform: 'uppercase', minWidth: 72, marginRight: 8 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', flexShrink: 1, alignItems: 'center' },
  actions: { flexDirection: 'row', gap: 8, alignItems: 'center', marginBottom: 6 },
  form: { borderWidth: 1, borderRadius: 8, padding: 8, marginBottom: 8 },
});
