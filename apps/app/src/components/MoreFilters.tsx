import type { CustomField, Team } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, View } from 'react-native';
import { parley } from '../api/parley';
import type { TicketFilters } from '../store/tickets';
import { Button } from './Button';
import { useFieldDefinitions } from './FieldEditor';
import { FilterGroup, type FilterOption } from './FilterGroup';
import { TextField } from './TextField';

/** A field filter as the list takes it: `key:value`, `key:*` (has a value), `key:` (has none). */
const splitFilter = (filter: string | undefined) => {
  if (!filter) return null;
  const at = filter.indexOf(':');
  return { key: filter.slice(0, at), value: filter.slice(at + 1) };
};

/**
 * Staff: the queue's less used filters behind a disclosure (open while one is set): the team,
 * one custom field's value, and a custom field to sort by first.
 */
export function MoreFilters({
  filters,
  sortField,
  onFilters,
  onSortField,
}: {
  filters: TicketFilters;
  sortField: string | undefined;
  onFilters: (change: TicketFilters) => void;
  onSortField: (sortField: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const fields = useFieldDefinitions('ticket');
  const teams = useTeams();
  const set = [filters.teamId, filters.fields?.length, sortField].filter(Boolean).length;
  const [open, setOpen] = useState(set > 0);
  const countLabel = (label: string, count: number) => t('tickets.withCount', { label, count });
  const filter = splitFilter(filters.fields?.[0]);
  const field = fields.find((f) => f.key === filter?.key);
  const sortKey = sortField?.replace(/^-/, '');

  return (
    <View>
      <Button
        variant="secondary"
        label={set > 0 ? t('tickets.moreFiltersSet', { count: set }) : t('tickets.moreFilters')}
        expanded={open}
        onPress={() => setOpen(!open)}
        style={styles.toggle}
      />
      {open ? (
        <View>
          <FilterGroup
            label={t('tickets.team')}
            options={[
              { value: undefined as string | undefined, label: t('tickets.teamAny') },
              ...teams.map((team) => ({ value: team.id as string | undefined, label: team.name })),
            ]}
            selected={filters.teamId}
            onSelect={(teamId) => onFilters({ teamId })}
            countLabel={countLabel}
          />
          {fields.length > 0 ? (
            <FilterGroup
              label={t('tickets.field')}
              options={[
                { value: undefined as string | undefined, label: t('tickets.fieldAny') },
                ...fields.map((f) => ({ value: f.key as string | undefined, label: f.name })),
              ]}
              selected={filter?.key}
              // A field chosen alone lists the tickets where it has a value.
              onSelect={(key) => onFilters({ fields: key ? [`${key}:*`] : undefined })}
              countLabel={countLabel}
            />
          ) : null}
          {field && filter ? (
            <FieldValueFilter
              key={field.key}
              field={field}
              value={filter.value}
              onValue={(value) => onFilters({ fields: [`${field.key}:${value}`] })}
            />
          ) : null}
          {fields.length > 0 ? (
            <>
              <FilterGroup
                label={t('tickets.sortField')}
                options={[
                  { value: undefined as string | undefined, label: t('tickets.sortFieldNone') },
                  ...fields.map((f) => ({ value: f.key as string | undefined, label: f.name })),
                ]}
                selected={sortKey}
                onSelect={(key) => onSortField(key && (sortField?.startsWith('-') ? `-${key}` : key))}
                countLabel={countLabel}
              />
              {sortKey ? (
                <FilterGroup
                  label={t('tickets.sortDirection', { name: fields.find((f) => f.key === sortKey)?.name ?? sortKey })}
                  options={[
                    { value: sortKey, label: t('tickets.ascending') },
                    { value: `-${sortKey}`, label: t('tickets.descending') },
                  ]}
                  selected={sortField}
                  onSelect={onSortField}
                  countLabel={countLabel}
                />
              ) : null}
            </>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

/** The workspace's teams, by name (staff may list them). */
function useTeams(): Team[] {
  const [teams, setTeams] = useState<Team[]>([]);
  useEffect(() => {
    let live = true;
    parley.teams.list().then(
      ({ items }) => live && setTeams(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return teams;
}

/**
 * The value one field must have: its options (a select's, yes/no for a checkbox) as chips, or
 * typed text (contains, for text; equals, for a number or a date), and "has a value" / "empty".
 */
function FieldValueFilter({
  field,
  value,
  onValue,
}: {
  field: CustomField;
  value: string;
  onValue: (value: string) => void;
}) {
  const { t } = useTranslation();
  const typed = field.type === 'text' || field.type === 'number' || field.type === 'date';
  const [text, setText] = useState(value === '*' || !typed ? '' : value);
  // Applied once typing pauses, as the search is.
  useEffect(() => {
    if (!typed || text.trim() === '' || text.trim() === value) return;
    const timer = setTimeout(() => onValue(text.trim()), 300);
    return () => clearTimeout(timer);
  });
  const options: FilterOption<string>[] = [
    { value: '*', label: t('tickets.fieldHasValue') },
    ...(field.type === 'checkbox'
      ? [
          { value: 'true', label: t('customFields.yes') },
          { value: 'false', label: t('customFields.no') },
        ]
      : field.options.map((option) => ({ value: option, label: option }))),
    { value: '', label: t('tickets.fieldEmpty') },
  ];
  return (
    <>
      <FilterGroup
        label={t('tickets.fieldValue', { name: field.name })}
        options={options}
        selected={value}
        onSelect={(chosen) => {
          setText('');
          onValue(chosen);
        }}
        countLabel={(label, count) => t('tickets.withCount', { label, count })}
      />
      {typed ? (
        <TextField
          label={t(field.type === 'text' ? 'tickets.fieldContains' : 'tickets.fieldEquals', { name: field.name })}
          value={text}
          onChangeText={setText}
          inputMode={field.type === 'number' ? 'decimal' : 'text'}
          placeholder={field.type === 'date' ? 'YYYY-MM-DD' : undefined}
        />
      ) : null}
    </>
  );
}

const styles = StyleSheet.create({
  toggle: { alignSelf: 'flex-start', marginBottom: 8 },
});
