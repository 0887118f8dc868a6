import type { CustomField, CustomFieldEntity, FieldValue } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Switch, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { useTheme } from '../theme/theme';
import { Chip } from './Chip';
import { TextField } from './TextField';

/** The workspace's live fields of an entity, in order (customers get the ones they see). */
export function useFieldDefinitions(entity: CustomFieldEntity): CustomField[] {
  const [fields, setFields] = useState<CustomField[]>([]);
  useEffect(() => {
    let live = true;
    parley.customFields.list({ entity }).then(
      ({ items }) => live && setFields(items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [entity]);
  return fields;
}

/** Options a stored value names that the field no longer offers (kept, shown as such). */
export const orphanedOptions = (field: CustomField, value: FieldValue | undefined): string[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).filter(
        (v) => (field.type === 'select' || field.type === 'multi_select') && !field.options.includes(v),
      );

/** A value as one line of text in the reader's language. */
export function useShowValue() {
  const { t } = useTranslation();
  return (field: CustomField, value: FieldValue | undefined): string => {
    if (value === undefined) return t('customFields.empty');
    if (field.type === 'checkbox') return value ? t('customFields.yes') : t('customFields.no');
    const orphaned = new Set(orphanedOptions(field, value));
    const parts = Array.isArray(value) ? value : [String(value)];
    return parts.map((v) => (orphaned.has(v) ? t('customFields.orphaned', { value: v }) : v)).join(', ');
  };
}

/** A text-like value as typed: a number for number fields, blank as null (clears). */
function parseTyped(field: CustomField, text: string): FieldValue | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (field.type === 'number') {
    const n = Number(trimmed.replace(',', '.'));
    return Number.isFinite(n) ? n : 'invalid';
  }
  if (field.type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? trimmed : 'invalid';
  return trimmed;
}

/**
 * One field's editor, by type: a text box (text, number, date: saved on leaving it or Enter),
 * choices (select: one; multi-select: several), a switch (checkbox). `onChange(null)` clears.
 */
export function FieldEditor({
  field,
  value,
  onChange,
  error,
}: {
  field: CustomField;
  value: FieldValue | undefined;
  onChange: (value: FieldValue | null) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const shown = value === undefined || Array.isArray(value) || typeof value === 'boolean' ? '' : String(value);
  const [text, setText] = useState(shown);
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(shown), [shown]);
  const orphaned = orphanedOptions(field, value);

  if (field.type === 'text' || field.type === 'number' || field.type === 'date') {
    const commit = () => {
      const next = parseTyped(field, text);
      if (next === 'invalid') return setInvalid(true);
      setInvalid(false);
      if ((next ?? '') !== (value ?? '')) onChange(next);
    };
    return (
      <TextField
        label={field.name}
        value={text}
        onChangeText={setText}
        onBlur={commit}
        onSubmitEditing={commit}
        placeholder={field.type === 'date' ? t('customFields.dateHint') : undefined}
        keyboardType={field.type === 'number' ? 'numeric' : 'default'}
        error={invalid ? t('customFields.invalidValue') : error}
      />
    );
  }

  if (field.type === 'checkbox') {
    return (
      <View style={styles.field}>
        <View style={styles.switchRow}>
          <Text style={[styles.label, { color: colors.textMuted, flex: 1 }]}>{field.name}</Text>
          <Switch accessibilityLabel={field.name} value={value === true} onValueChange={(on) => onChange(on)} />
        </View>
        {error ? <Text style={{ color: colors.danger }}>{error}</Text> : null}
      </View>
    );
  }

  const chosen = new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
  const multi = field.type === 'multi_select';
  return (
    <View style={styles.field}>
      <Text style={[styles.label, { color: colors.textMuted }]}>{field.name}</Text>
      <View
        style={styles.chips}
        accessibilityRole={multi ? undefined : 'radiogroup'}
        role={multi ? 'group' : undefined}
        accessibilityLabel={field.name}
      >
        {[...field.options, ...orphaned].map((option) => {
          const label = orphaned.includes(option) ? t('customFields.orphaned', { value: option }) : option;
          if (!multi) {
            return (
              <Chip
                key={option}
                label={label}
                selected={chosen.has(option)}
                onPress={() => !chosen.has(option) && onChange(option)}
              />
            );
          }
          const on = chosen.has(option);
          return (
            <Pressable
              key={option}
              accessibilityRole="checkbox"
              accessibilityState={{ checked: on }}
              aria-checked={on}
              accessibilityLabel={label}
              onPress={() => {
                const next = on ? [...chosen].filter((v) => v !== option) : [...chosen, option];
                onChange(next.length > 0 ? next : null);
              }}
              style={[
                styles.toggle,
                {
                  borderColor: on ? colors.primary : colors.border,
                  backgroundColor: on ? colors.primary : colors.surfaceRaised,
                },
              ]}
            >
              <Text style={{ color: on ? colors.onPrimary : colors.text, fontSize: 13, fontWeight: '600' }}>
                {label}
              </Text>
            </Pressable>
          );
        })}
        {!multi && chosen.size > 0 ? (
          <Chip label={t('customFields.clear', { name: field.name })} selected={false} onPress={() => onChange(null)} />
        ) : null}
      </View>
      {error ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger }}>
          {error}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  field: { marginBottom: 12 },
  label: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  chips: { flexDirection: 'row', flexWrap: 'wrap' },
  switchRow: { flexDirection: 'row', alignItems: 'center' },
  toggle: {
    borderWidth: 1,
    borderRadius: 6,
    paddingHorizontal: 10,
    paddingVertical: 6,
    marginRight: 6,
    marginBottom: 6,
  },
});
