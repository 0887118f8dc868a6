import type { CustomField, CustomFieldEntity, CustomFieldType, TicketStatus } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';

const TYPES: CustomFieldType[] = ['text', 'number', 'select', 'multi_select', 'date', 'checkbox'];
const STATUSES: TicketStatus[] = ['open', 'in_progress', 'pending', 'snoozed', 'closed'];
const isSelect = (type: CustomFieldType) => type === 'select' || type === 'multi_select';

/** A key from a name: "Root cause" → `root_cause`. */
export const keyFromName = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

interface Draft {
  id: string | null;
  name: string;
  key: string;
  type: CustomFieldType;
  options: string;
  requiredFor: TicketStatus[];
  visibleToCustomers: boolean;
}

const emptyDraft: Draft = {
  id: null,
  name: '',
  key: '',
  type: 'text',
  options: '',
  requiredFor: [],
  visibleToCustomers: false,
};

/** Admin → Fields: define the workspace's custom fields of tickets and customers, in order. */
export function FieldsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [entity, setEntity] = useState<CustomFieldEntity>('ticket');
  const [fields, setFields] = useState<CustomField[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    setFields((await parley.customFields.list({ entity, archived: 'true' })).items);
  }, [entity]);
  useEffect(() => {
    void run(load);
  }, [load]);

  const save = () =>
    run(async () => {
      const options = isSelect(draft.type)
        ? draft.options
            .split('\n')
            .map((o) => o.trim())
            .filter(Boolean)
        : [];
      const common = {
        name: draft.name,
        options,
        requiredFor: entity === 'ticket' ? draft.requiredFor : [],
        visibleToCustomers: draft.visibleToCustomers,
      };
      if (draft.id) await parley.customFields.update(draft.id, { ...common, type: draft.type });
      else
        await parley.customFields.create({
          ...common,
          entity,
          type: draft.type,
          key: draft.key || keyFromName(draft.name),
        });
      setDraft(emptyDraft);
      await load();
    });

  const move = (index: number, by: -1 | 1) =>
    run(async () => {
      const ids = fields.map((f) => f.id);
      const [moved] = ids.splice(index, 1);
      ids.splice(index + by, 0, moved!);
      setFields((await parley.customFields.reorder({ entity, ids })).items);
    });

  const edit = (f: CustomField) =>
    setDraft({
      id: f.id,
      name: f.name,
      key: f.key,
      type: f.type,
      options: f.options.join('\n'),
      requiredFor: f.requiredFor,
      visibleToCustomers: f.visibleToCustomers,
    });

  return (
    <View>
      <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('customFields.entity')}>
        {(['ticket', 'customer'] as const).map((e) => (
          <Chip
            key={e}
            label={t(`customFields.entities.${e}`)}
            selected={entity === e}
            onPress={() => {
              setEntity(e);
              setDraft(emptyDraft);
            }}
          />
        ))}
      </View>

      <View
        role="list"
        aria-label={t(entity === 'ticket' ? 'customFields.ticketFields' : 'customFields.customerFields')}
      >
        {fields.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('customFields.none')}</Text> : null}
        {fields.map((f, i) => (
          <View
            key={f.id}
            role="listitem"
            style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
          >
            <View style={styles.rowText}>
              <Text style={[styles.name, { color: f.archived ? colors.textMuted : colors.text }]}>
                {f.name} <Text style={{ color: colors.textMuted }}>({f.key})</Text>
              </Text>
              <Text style={{ color: colors.textMuted, fontSize: 13 }}>
                {[
                  t(`customFields.types.${f.type}`),
                  f.options.length > 0 ? f.options.join(', ') : null,
                  f.requiredFor.length > 0
                    ? t('customFields.required', {
                        statuses: f.requiredFor.map((s) => t(`tickets.status.${s}`)).join(', '),
                      })
                    : null,
                  f.visibleToCustomers ? null : t('customFields.internal'),
                  f.archived ? t('customFields.archived') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </View>
            <View style={styles.actions}>
              <Button
                variant="link"
                label="↑"
                accessibilityLabel={t('customFields.moveUp', { name: f.name })}
                disabled={i === 0}
                onPress={() => void move(i, -1)}
              />
              <Button
                variant="link"
                label="↓"
                accessibilityLabel={t('customFields.moveDown', { name: f.name })}
                disabled={i === fields.length - 1}
                onPress={() => void move(i, 1)}
              />
              <Button variant="link" label={t('customFields.edit', { name: f.name })} onPress={() => edit(f)} />
              <Button
                variant="link"
                label={t(f.archived ? 'customFields.restore' : 'customFields.archive', { name: f.name })}
                onPress={() =>
                  void run(async () => {
                    await parley.customFields.update(f.id, { archived: !f.archived });
                    await load();
                  })
                }
              />
            </View>
          </View>
        ))}
      </View>

      <View style={[styles.form, { borderColor: colors.border }]}>
        <TextField
          label={t('customFields.name')}
          value={draft.name}
          onChangeText={(name) => setDraft((d) => ({ ...d, name }))}
        />
        {draft.id === null ? (
          <TextField
            label={t('customFields.key')}
            value={draft.key}
            placeholder={keyFromName(draft.name)}
            autoCapitalize="none"
            onChangeText={(key) => setDraft((d) => ({ ...d, key }))}
          />
        ) : null}
        <Text style={[styles.label, { color: colors.textMuted }]}>{t('customFields.type')}</Text>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('customFields.type')}>
          {TYPES.map((type) => (
            <Chip
              key={type}
              label={t(`customFields.types.${type}`)}
              selected={draft.type === type}
              onPress={() => setDraft((d) => ({ ...d, type }))}
            />
          ))}
        </View>
        {isSelect(draft.type) ? (
          <TextField
            label={t('customFields.options')}
            value={draft.options}
            multiline
            numberOfLines={4}
            onChangeText={(options) => setDraft((d) => ({ ...d, options }))}
          />
        ) : null}
        {entity === 'ticket' ? (
          <>
            <Text style={[styles.label, { color: colors.textMuted }]}>{t('customFields.requiredFor')}</Text>
            <View style={styles.chips} role="group" aria-label={t('customFields.requiredFor')}>
              {STATUSES.map((status) => {
                const on = draft.requiredFor.includes(status);
                return (
                  <Chip
                    key={status}
                    label={t(`tickets.status.${status}`)}
                    selected={on}
                    onPress={() =>
                      setDraft((d) => ({
                        ...d,
                        requiredFor: on ? d.requiredFor.filter((s) => s !== status) : [...d.requiredFor, status],
                      }))
                    }
                  />
                );
              })}
            </View>
          </>
        ) : null}
        <View style={styles.switchRow}>
          <Text style={{ color: colors.text, flex: 1 }}>{t('customFields.visibleToCustomers')}</Text>
          <Switch
            accessibilityLabel={t('customFields.visibleToCustomers')}
            value={draft.visibleToCustomers}
            onValueChange={(visibleToCustomers) => setDraft((d) => ({ ...d, visibleToCustomers }))}
          />
        </View>
        <View style={styles.chips}>
          <Button
            label={draft.id ? t('customFields.save') : t('customFields.add')}
            busy={busy}
            disabled={draft.name.trim() === ''}
            onPress={() => void save()}
          />
          {draft.id ? (
            <Button variant="secondary" label={t('customFields.cancel')} onPress={() => setDraft(emptyDraft)} />
          ) : null}
        </View>
        <FormErrorText message={error && errorText(t, error)} />
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 10 },
  row: { borderWidth: 1, borderRadius: 10, padding: 10, marginBottom: 8, flexDirection: 'row', flexWrap: 'wrap' },
  rowText: { flex: 1, minWidth: 200 },
  name: { fontSize: 15, fontWeight: '600' },
  actions: { flexDirection: 'row', alignItems: 'center', gap: 4, flexWrap: 'wrap' },
  form: { borderTopWidth: 1, paddingTop: 12, marginTop: 8 },
  label: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  switchRow: { flexDirection: 'row', alignItems: 'center', marginBottom: 12 },
});
