import type { Label } from '@parley/protocol';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../store';
import { loadLabels } from '../store/labels';
import { Chip } from './Chip';
import { FilterRow } from './FilterGroup';

/** The workspace's labels by name (staff), loaded once and kept live by `label.*` frames. */
export function useWorkspaceLabels(): Label[] {
  const dispatch = useAppDispatch();
  const { items, loaded } = useAppSelector((s) => s.labels);
  useEffect(() => {
    if (!loaded) void dispatch(loadLabels());
  }, [dispatch, loaded]);
  return items;
}

/**
 * Staff: narrow the queue to tickets with all the labels ticked ("Any": none ticked), each with
 * how many tickets adding it would list under the other filters. Nothing while the workspace has
 * no labels.
 */
export function LabelFilter({
  selected,
  counts,
  onSelect,
}: {
  selected: readonly string[];
  counts: Record<string, number> | null | undefined;
  onSelect: (labelIds: string[] | undefined) => void;
}) {
  const { t } = useTranslation();
  const items = useWorkspaceLabels();
  if (items.length === 0) return null;
  const toggle = (id: string) => {
    const next = selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id];
    onSelect(next.length > 0 ? next : undefined);
  };
  return (
    <FilterRow label={t('labels.filter')} role="group">
      <Chip
        role="checkbox"
        label={t('labels.any')}
        selected={selected.length === 0}
        onPress={() => onSelect(undefined)}
      />
      {items.map((l) => {
        const count = counts ? (counts[l.id] ?? 0) : undefined;
        return (
          <Chip
            key={l.id}
            role="checkbox"
            label={count === undefined ? l.name : t('tickets.withCount', { label: l.name, count })}
            selected={selected.includes(l.id)}
            onPress={() => toggle(l.id)}
          />
        );
      })}
    </FilterRow>
  );
}
