import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../store';
import { loadLabels } from '../store/labels';
import { FilterGroup } from './FilterGroup';

/**
 * Staff: narrow the queue to one label (the server takes several: all must match), with how many
 * tickets each would list under the other filters. Nothing while the workspace has no labels.
 */
export function LabelFilter({
  selected,
  counts,
  onSelect,
}: {
  selected: string | undefined;
  counts: Record<string, number> | null | undefined;
  onSelect: (labelId: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const { items, loaded } = useAppSelector((s) => s.labels);
  useEffect(() => {
    if (!loaded) void dispatch(loadLabels());
  }, [dispatch, loaded]);
  if (items.length === 0) return null;
  return (
    <FilterGroup
      label={t('labels.filter')}
      options={[
        { value: undefined as string | undefined, label: t('labels.any') },
        ...items.map((l) => ({
          value: l.id as string | undefined,
          label: l.name,
          count: counts ? (counts[l.id] ?? 0) : undefined,
        })),
      ]}
      selected={selected}
      onSelect={onSelect}
      countLabel={(label, count) => t('tickets.withCount', { label, count })}
    />
  );
}
