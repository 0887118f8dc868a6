import type { CustomField, FieldValue, FieldValues, Ticket, TicketStatus } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { useAppDispatch } from '../store';
import { updateTicket } from '../store/tickets';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { FieldEditor, useFieldDefinitions } from './FieldEditor';

/** The keys of the fields a refused change needs filled (`fields.KEY`, reason `required`). */
export const requiredFieldKeys = (error: FormError | null): string[] =>
  Object.entries(error?.fields ?? {})
    .filter(([path, problem]) => path.startsWith('fields.') && problem.reason === 'required')
    .map(([path]) => path.slice('fields.'.length));

/** A ticket's field values, fetched again whenever the ticket changes (live frames carry none). */
function useTicketFieldValues(ticket: Ticket): [FieldValues, (values: FieldValues) => void] {
  const [values, setValues] = useState<FieldValues>(ticket.fields ?? {});
  useEffect(() => {
    let live = true;
    parley.tickets.get(ticket.id).then(
      (fresh) => live && setValues(fresh.fields ?? {}),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [ticket.id, ticket.updatedAt]);
  return [values, setValues];
}

/** Staff: the ticket's custom fields, each saved as it is changed (everyone sees the change live). */
export function TicketFieldsPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const fields = useFieldDefinitions('ticket');
  const [values, setValues] = useTicketFieldValues(ticket);
  const [error, setError] = useState<FormError | null>(null);
  if (fields.length === 0) return null;
  const save = async (field: CustomField, value: FieldValue | null) => {
    const result = await dispatch(updateTicket({ id: ticket.id, changes: { fields: { [field.key]: value } } }));
    if (updateTicket.rejected.match(result)) setError(result.payload ?? null);
    else {
      setError(null);
      setValues(result.payload.fields ?? {});
    }
  };
  return (
    <View style={styles.section} role="group" aria-label={t('customFields.fieldsTitle')}>
      <Text style={[styles.title, { color: colors.textMuted }]}>{t('customFields.fieldsTitle')}</Text>
      {fields.map((field) => (
        <FieldEditor
          key={field.id}
          field={field}
          value={values[field.key]}
          onChange={(value) => void save(field, value)}
          error={error?.fields[`fields.${field.key}`] ? t('customFields.invalidValue') : undefined}
        />
      ))}
    </View>
  );
}

/**
 * The prompt a refused status change opens: the fields that status requires, filled here and
 * sent with the status in one request, so the ticket changes only with them.
 */
export function RequiredFieldsPrompt({
  ticket,
  status,
  keys,
  onDone,
}: {
  ticket: Ticket;
  status: TicketStatus;
  keys: readonly string[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const fields = useFieldDefinitions('ticket').filter((f) => keys.includes(f.key));
  const [draft, setDraft] = useState<Record<string, FieldValue | null>>({});
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const statusName = t(`tickets.status.${status}`);
  const submit = async () => {
    setBusy(true);
    try {
      const result = await dispatch(updateTicket({ id: ticket.id, changes: { status, fields: draft } }));
      if (updateTicket.rejected.match(result)) setError(result.payload ?? toFormError(null));
      else onDone();
    } finally {
      setBusy(false);
    }
  };
  return (
    <View
      role="dialog"
      aria-label={t('customFields.requiredTitle', { status: statusName })}
      style={[styles.prompt, { borderColor: colors.primary, backgroundColor: colors.surfaceRaised }]}
    >
      <Text style={[styles.promptTitle, { color: colors.text }]}>
        {t('customFields.requiredTitle', { status: statusName })}
      </Text>
      <Text style={{ color: colors.textMuted, marginBottom: 8 }}>{t('customFields.requiredHint')}</Text>
      {fields.map((field) => (
        <FieldEditor
          key={field.id}
          field={field}
          value={draft[field.key] ?? undefined}
          onChange={(value) => setDraft((d) => ({ ...d, [field.key]: value }))}
          error={error?.fields[`fields.${field.key}`] ? t('customFields.invalidValue') : undefined}
        />
      ))}
      <View style={styles.buttons}>
        <Button
          label={t('customFields.saveAndSet', { status: statusName })}
          busy={busy}
          onPress={() => void submit()}
        />
        <Button variant="secondary" label={t('customFields.cancel')} onPress={onDone} />
      </View>
    </View>
  );
}

/** Staff: a customer's fields, shown and changed in place (the customer's profile or context panel). */
export function CustomerFieldsPanel({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const fields = useFieldDefinitions('customer');
  const [values, setValues] = useState<FieldValues>({});
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    let live = true;
    parley.customFields.ofCustomer(userId).then(
      (v) => live && setValues(v.fields),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [userId]);
  // Another agent's change shows at once (`customer.fields`: all the values now).
  useEffect(
    () =>
      parley.realtime.on('customer.fields', (frame) => {
        if (frame.userId === userId) setValues(frame.fields);
      }),
    [userId],
  );
  if (fields.length === 0) return null;
  const save = async (field: CustomField, value: FieldValue | null) => {
    try {
      setValues((await parley.customFields.setForCustomer(userId, { fields: { [field.key]: value } })).fields);
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  };
  return (
    <View style={styles.section} role="group" aria-label={t('customFields.customerFields')}>
      <Text style={[styles.title, { color: colors.textMuted }]}>{t('customFields.customerFields')}</Text>
      {fields.map((field) => (
        <FieldEditor
          key={field.id}
          field={field}
          value={values[field.key]}
          onChange={(value) => void save(field, value)}
          error={error?.fields[`fields.${field.key}`] ? t('customFields.invalidValue') : undefined}
        />
      ))}
    </View>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 10 },
  title: { fontSize: 13, fontWeight: '600', marginBottom: 6 },
  prompt: { borderWidth: 2, borderRadius: 10, padding: 12, marginBottom: 12 },
  promptTitle: { fontSize: 15, fontWeight: '700', marginBottom: 4 },
  buttons: { flexDirection: 'row', flexWrap: 'wrap', gap: 8 },
});
