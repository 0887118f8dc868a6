import type { Label } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { FormErrorText } from '../../components/FormErrorText';
import { LabelPill } from '../../components/LabelChips';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useAppDispatch } from '../../store';
import { loadLabels } from '../../store/labels';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';

/** The colours a label may have: distinct, and each readable with black or white text. */
export const LABEL_PALETTE = [
  '#d73a4a',
  '#e99695',
  '#fbca04',
  '#0e8a16',
  '#1d76db',
  '#5319e7',
  '#006b75',
  '#6e7781',
] as const;

/**
 * Admin → Labels: the workspace's labels, to add (a name and a colour from the palette), rename,
 * recolour and delete. Agents put them on tickets; customers never see them.
 */
export function LabelsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [labels, setLabels] = useState<Label[]>([]);
  const [loadError, setLoadError] = useState<FormError | null>(null);
  const reload = useCallback(async () => {
    try {
      setLabels((await parley.labels.list()).items);
      setLoadError(null);
      // The queue's filter and the tickets' pickers show the new list too.
      void dispatch(loadLabels());
    } catch (e) {
      setLoadError(toFormError(e));
    }
  }, [dispatch]);
  useEffect(() => void reload(), [reload]);

  return (
    <View>
      {labels.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('labels.empty')}</Text> : null}
      {labels.map((label) => (
        <LabelCard key={label.id} label={label} onChanged={() => void reload()} />
      ))}
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('labels.newLabel')}
      </Text>
      <LabelForm
        submitLabel={t('labels.create')}
        initial={{ name: '', colour: LABEL_PALETTE[4], description: '' }}
        resetAfterSubmit
        onSubmit={async (draft) => {
          await parley.labels.create({ ...draft, description: draft.description.trim() || null });
          await reload();
        }}
      />
    </View>
  );
}

function LabelCard({ label, onChanged }: { label: Label; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, [], 'labels');
  return (
    <View
      accessibilityLabel={label.name}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <LabelPill label={label} />
          {label.description ? (
            <Text style={{ color: colors.textMuted, fontSize: 13 }}>{label.description}</Text>
          ) : null}
        </View>
        {editing ? null : (
          <View style={styles.actions}>
            <Button
              variant="secondary"
              label={t('labels.edit')}
              accessibilityLabel={t('labels.editOf', { name: label.name })}
              onPress={() => setEditing(true)}
            />
            <Button
              variant="danger"
              label={t('labels.delete')}
              accessibilityLabel={t('labels.deleteOf', { name: label.name })}
              onPress={() => setConfirmDelete(true)}
            />
          </View>
        )}
      </View>
      {confirmDelete ? (
        <View style={styles.confirm}>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('labels.deleteWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('labels.confirmDelete')}
              busy={remove.busy}
              onPress={() => void remove.run(() => parley.labels.remove(label.id)).then((done) => done && onChanged())}
            />
            <Button variant="secondary" label={t('labels.cancel')} onPress={() => setConfirmDelete(false)} />
          </View>
          <FormErrorText message={removeErrors.summary} />
        </View>
      ) : null}
      {editing ? (
        <LabelForm
          submitLabel={t('labels.save')}
          initial={{ name: label.name, colour: label.colour, description: label.description ?? '' }}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            await parley.labels.update(label.id, { ...draft, description: draft.description.trim() || null });
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </View>
  );
}

interface LabelDraft {
  name: string;
  colour: string;
  description: string;
}

/** A label's name, colour (one of the palette, as radio buttons) and description. */
function LabelForm({
  initial,
  submitLabel,
  resetAfterSubmit,
  onSubmit,
  onCancel,
}: {
  initial: LabelDraft;
  submitLabel: string;
  resetAfterSubmit?: boolean;
  onSubmit: (draft: LabelDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState(initial);
  const save = useAction();
  const errors = useFormErrors(save.error, ['name', 'colour', 'description'], 'labels');
  const submit = async () => {
    if (await save.run(() => onSubmit(draft))) {
      if (resetAfterSubmit) setDraft(initial);
    }
  };
  const palette = LABEL_PALETTE.includes(draft.colour as (typeof LABEL_PALETTE)[number])
    ? LABEL_PALETTE
    : [...LABEL_PALETTE, draft.colour];
  return (
    <View style={styles.form}>
      <TextField
        label={t('labels.name')}
        value={draft.name}
        onChangeText={(name) => setDraft({ ...draft, name })}
        error={errors.field('name')}
        maxLength={50}
        onSubmitEditing={() => void submit()}
      />
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('labels.colour')}</Text>
      <View style={styles.palette} accessibilityRole="radiogroup" accessibilityLabel={t('labels.colour')}>
        {palette.map((colour) => {
          const selected = draft.colour === colour;
          return (
            <Pressable
              key={colour}
              accessibilityRole="radio"
              accessibilityState={{ checked: selected }}
              aria-checked={selected}
              accessibilityLabel={t('labels.colourOption', { colour })}
              onPress={() => setDraft({ ...draft, colour })}
              style={({ focused }: { pressed: boolean; focused?: boolean }) => [
                styles.swatch,
                { backgroundColor: colour, borderColor: selected ? colors.text : 'transparent' },
                focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
              ]}
            />
          );
        })}
      </View>
      <TextField
        label={t('labels.description')}
        value={draft.description}
        onChangeText={(description) => setDraft({ ...draft, description })}
        error={errors.field('description')}
        maxLength={200}
      />
      <View style={styles.preview}>
        <LabelPill label={{ name: draft.name.trim() || '…', colour: draft.colour }} />
      </View>
      <View style={styles.actions}>
        <Button label={submitLabel} busy={save.busy} disabled={!draft.name.trim()} onPress={() => void submit()} />
        {onCancel ? <Button variant="secondary" label={t('labels.cancel')} onPress={onCancel} /> : null}
      </View>
      <FormErrorText message={errors.summary} />
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8 },
  who: { flexShrink: 1, gap: 4, alignItems: 'flex-start' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { gap: 8 },
  label: { fontSize: 13, fontWeight: '600' },
  palette: { flexDirection: 'row', flexWrap: 'wrap', gap: 8 },
  swatch: { width: 28, height: 28, borderRadius: 14, borderWidth: 3 },
  preview: { flexDirection: 'row' },
});
