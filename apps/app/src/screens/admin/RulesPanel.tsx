import {
  type AutomationAction,
  type AutomationCondition,
  type AutomationEvent,
  type AutomationRule,
  type CannedResponse,
  type CreateAutomationRuleBody,
  type CustomField,
  type Label,
  type PublicUser,
  type Team,
} from '@parley/protocol';
import { TICKET_PRIORITIES as PRIORITIES, TICKET_STATUSES as STATUSES } from '@parley/protocol/constants';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { toFormError, type FormError } from '../../api/errors';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { personName } from '../../people/person-name';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';

/** Who and what a rule may name: the workspace's teams, staff and labels, by id. */
interface Pickables {
  teams: Team[];
  staff: PublicUser[];
  labels?: Label[];
  /** Team and workspace canned responses: what a rule may send. */
  canned?: CannedResponse[];
  /** The ticket fields a condition may test. */
  fields?: CustomField[];
}

const EVENT_TYPES: AutomationEvent['type'][] = [
  'ticket.created',
  'ticket.updated',
  'message.customer',
  'message.agent',
  'sla.breached',
  'time.elapsed',
];
type Since = Extract<AutomationEvent, { type: 'time.elapsed' }>['since'];
const SINCES: Since[] = ['created', 'status_changed', 'customer_message', 'agent_message'];
type ConditionType = Exclude<AutomationCondition['type'], 'requester'>;
const CONDITION_TYPES: ConditionType[] = [
  'status',
  'priority',
  'team',
  'assignee',
  'label',
  'field',
  'text',
  'business_hours',
];
const TEXT_IN = ['subject', 'description', 'subject_or_description', 'message'] as const;
const ACTION_TYPES: AutomationAction['type'][] = [
  'set_team',
  'set_priority',
  'set_status',
  'assign',
  'add_note',
  'send_reply',
  'send_canned_reply',
  'notify',
  'add_label',
  'remove_label',
];

/**
 * The workspace's automation rules (`settings.manage`), in the order they run: each with a
 * switch, moves up and down, edit and delete; and a form for a new one. Pickers offer the
 * workspace's teams and staff, priorities and statuses.
 */
export function RulesPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [rules, setRules] = useState<AutomationRule[]>([]);
  const [pickables, setPickables] = useState<Pickables>({ teams: [], staff: [] });
  const [error, setError] = useState<FormError | null>(null);
  const reload = useCallback(async () => {
    try {
      setRules((await parley.automationRules.list()).items);
      setError(null);
    } catch (e) {
      setError(toFormError(e));
    }
  }, []);
  useEffect(() => {
    void reload();
    void (async () => {
      try {
        const [teams, agents, admins, canned, labels, fields] = await Promise.all([
          parley.teams.list(),
          parley.users.search({ role: 'agent', limit: 100 }),
          parley.users.search({ role: 'admin', limit: 100 }),
          // Staff only (tickets.work): a role that manages settings without working tickets offers none.
          parley.cannedResponses.list({ purpose: 'manage' }).catch(() => ({ items: [] })),
          parley.labels.list().catch(() => ({ items: [] })),
          parley.customFields.list({ entity: 'ticket' }).catch(() => ({ items: [] })),
        ]);
        setPickables({
          teams: teams.items,
          staff: [...admins.items, ...agents.items],
          canned: canned.items.filter((r) => r.scope !== 'personal'),
          labels: labels.items,
          fields: fields.items,
        });
      } catch (e) {
        setError(toFormError(e));
      }
    })();
  }, [reload]);

  const act = async (change: () => Promise<unknown>) => {
    try {
      await change();
      await reload();
    } catch (e) {
      setError(toFormError(e));
    }
  };
  const move = (index: number, by: -1 | 1) => {
    const ids = rules.map((r) => r.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    void act(() => parley.automationRules.reorder({ ids }));
  };

  return (
    <View>
      <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>{t('rules.intro')}</Text>
      {rules.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('rules.empty')}</Text> : null}
      <View accessibilityRole="list">
        {rules.map((rule, index) => (
          <RuleCard
            key={rule.id}
            rule={rule}
            pickables={pickables}
            first={index === 0}
            last={index === rules.length - 1}
            onToggle={(enabled) => void act(() => parley.automationRules.update(rule.id, { enabled }))}
            onMove={(by) => move(index, by)}
            onChanged={() => void reload()}
          />
        ))}
      </View>
      <FormErrorText message={error && errorText(t, error)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('rules.newRule')}
      </Text>
      <RuleForm
        pickables={pickables}
        submitLabel={t('rules.create')}
        resetAfterSubmit
        onSubmit={async (body) => {
          await parley.automationRules.create(body);
          await reload();
        }}
      />
    </View>
  );
}

function RuleCard({
  rule,
  pickables,
  first,
  last,
  onToggle,
  onMove,
  onChanged,
}: {
  rule: AutomationRule;
  pickables: Pickables;
  first: boolean;
  last: boolean;
  onToggle: (enabled: boolean) => void;
  onMove: (by: -1 | 1) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, []);
  const muted = { color: colors.textMuted, fontSize: 13 };
  return (
    <View
      role="listitem"
      testID={`admin-rule-${rule.name}`}
      aria-label={rule.name}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <Text style={[styles.name, { color: colors.text }]}>{rule.name}</Text>
          <Text style={muted}>
            {t('rules.when')}: {describeEvent(t, rule.event)}
          </Text>
          <Text style={muted}>
            {t('rules.if')}:{' '}
            {rule.conditions.length === 0
              ? t('rules.always')
              : rule.conditions.map((c) => describeCondition(t, c, pickables)).join('; ')}
          </Text>
          <Text style={muted}>
            {t('rules.then')}: {rule.actions.map((a) => describeAction(t, a, pickables)).join('; ')}
          </Text>
        </View>
        <Switch
          accessibilityLabel={t('rules.enabledOf', { name: rule.name })}
          value={rule.enabled}
          onValueChange={onToggle}
        />
      </View>
      {editing ? null : (
        <View style={styles.actions}>
          <Button
            variant="secondary"
            label={t('rules.moveUp')}
            accessibilityLabel={t('rules.moveUpOf', { name: rule.name })}
            disabled={first}
            onPress={() => onMove(-1)}
          />
          <Button
            variant="secondary"
            label={t('rules.moveDown')}
            accessibilityLabel={t('rules.moveDownOf', { name: rule.name })}
            disabled={last}
            onPress={() => onMove(1)}
          />
          <Button
            variant="secondary"
            label={t('rules.edit')}
            accessibilityLabel={t('rules.editOf', { name: rule.name })}
            onPress={() => setEditing(true)}
          />
          <Button
            variant="danger"
            label={t('rules.delete')}
            accessibilityLabel={t('rules.deleteOf', { name: rule.name })}
            onPress={() => setConfirmDelete(true)}
          />
        </View>
      )}
      {confirmDelete ? (
        <View style={styles.confirm}>
          <Text style={muted}>{t('rules.deleteWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('rules.confirmDelete')}
              busy={remove.busy}
              onPress={() =>
                void remove.run(() => parley.automationRules.remove(rule.id)).then((done) => done && onChanged())
              }
            />
            <Button variant="secondary" label={t('rules.cancel')} onPress={() => setConfirmDelete(false)} />
          </View>
          <FormErrorText message={removeErrors.summary} />
        </View>
      ) : null}
      {editing ? (
        <RuleForm
          pickables={pickables}
          initial={rule}
          submitLabel={t('rules.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await parley.automationRules.update(rule.id, body);
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </View>
  );
}

/** Chips to pick one of `options` (a radio group named `label`). */
function Picker<V>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: Array<{ value: V; label: string }>;
  value: V;
  onChange: (value: V) => void;
}) {
  return (
    <View accessibilityRole="radiogroup" aria-label={label} style={styles.chips}>
      {options.map((o) => (
        <Chip key={o.label} label={o.label} selected={o.value === value} onPress={() => onChange(o.value)} />
      ))}
    </View>
  );
}

interface Draft {
  name: string;
  event: AutomationEvent;
  conditions: AutomationCondition[];
  actions: AutomationAction[];
}

const EMPTY: Draft = { name: '', event: { type: 'ticket.created' }, conditions: [], actions: [] };

function RuleForm({
  initial = EMPTY,
  pickables,
  submitLabel,
  resetAfterSubmit = false,
  onSubmit,
  onCancel,
}: {
  initial?: Draft;
  pickables: Pickables;
  submitLabel: string;
  resetAfterSubmit?: boolean;
  onSubmit: (body: CreateAutomationRuleBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState<Draft>(initial);
  const action = useAction();
  const errors = useFormErrors(action.error, ['name']);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const submit = async () => {
    const body = { ...draft, name: draft.name.trim() };
    if (!(await action.run(() => onSubmit(body)))) return;
    if (resetAfterSubmit) setDraft(EMPTY);
  };
  const event = draft.event;
  return (
    <View style={styles.form}>
      <TextField
        label={t('rules.name')}
        value={draft.name}
        onChangeText={(name) => set({ name })}
        error={errors.field('name')}
      />
      <Text style={[styles.label, { color: colors.text }]}>{t('rules.when')}</Text>
      <Picker
        label={t('rules.when')}
        options={EVENT_TYPES.map((type) => ({ value: type, label: t(`rules.events.${type}`) }))}
        value={event.type}
        onChange={(type) =>
          set({ event: type === 'time.elapsed' ? { type, since: 'created', minutes: 60 } : { type } })
        }
      />
      {event.type === 'time.elapsed' ? (
        <>
          <Picker
            label={t('rules.events.time.elapsed')}
            options={SINCES.map((since) => ({ value: since, label: t(`rules.since.${since}`) }))}
            value={event.since}
            onChange={(since) => set({ event: { ...event, since } })}
          />
          <TextField
            label={t('rules.minutes')}
            keyboardType="numeric"
            value={String(event.minutes)}
            onChangeText={(text) => set({ event: { ...event, minutes: Number(text.replace(/\D/g, '')) || 0 } })}
          />
        </>
      ) : null}

      <Text style={[styles.label, { color: colors.text }]}>{t('rules.if')}</Text>
      <RemovableList
        texts={draft.conditions.map((c) => describeCondition(t, c, pickables))}
        removeLabel={(text) => t('rules.removeCondition', { text })}
        onRemove={(i) => set({ conditions: draft.conditions.filter((_, j) => j !== i) })}
      />
      <ConditionEditor pickables={pickables} onAdd={(c) => set({ conditions: [...draft.conditions, c] })} />

      <Text style={[styles.label, { color: colors.text }]}>{t('rules.then')}</Text>
      <RemovableList
        texts={draft.actions.map((a) => describeAction(t, a, pickables))}
        removeLabel={(text) => t('rules.removeAction', { text })}
        onRemove={(i) => set({ actions: draft.actions.filter((_, j) => j !== i) })}
      />
      <ActionEditor pickables={pickables} onAdd={(a) => set({ actions: [...draft.actions, a] })} />

      <FormErrorText message={errors.summary} />
      <View style={styles.actions}>
        <Button
          label={submitLabel}
          busy={action.busy}
          disabled={!draft.name.trim() || draft.actions.length === 0}
          onPress={() => void submit()}
        />
        {onCancel ? <Button variant="secondary" label={t('rules.cancel')} onPress={onCancel} /> : null}
      </View>
      {draft.actions.length === 0 ? (
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('rules.noActions')}</Text>
      ) : null}
    </View>
  );
}

/** A rule's conditions or actions, each described in words with a button that removes it. */
function RemovableList({
  texts,
  removeLabel,
  onRemove,
}: {
  texts: string[];
  removeLabel: (text: string) => string;
  onRemove: (index: number) => void;
}) {
  const { colors } = useTheme();
  return (
    <>
      {texts.map((text, i) => (
        <View key={`${i}-${text}`} style={styles.item}>
          <Text style={{ color: colors.text, flexShrink: 1 }}>{text}</Text>
          <Button variant="secondary" label="✕" accessibilityLabel={removeLabel(text)} onPress={() => onRemove(i)} />
        </View>
      ))}
    </>
  );
}

function ConditionEditor({ pickables, onAdd }: { pickables: Pickables; onAdd: (c: AutomationCondition) => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<ConditionType>('text');
  const [negate, setNegate] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const [textIn, setTextIn] = useState<(typeof TEXT_IN)[number]>('subject');
  const [contains, setContains] = useState('');
  const [fieldKey, setFieldKey] = useState<string | null>(null);
  const operator = negate ? 'is_not' : 'is';
  const options = valueOptions(t, type, pickables);
  const field = pickables.fields?.find((f) => f.key === fieldKey);
  const typedField = field && (field.type === 'text' || field.type === 'number' || field.type === 'date');
  const build = (): AutomationCondition | null => {
    if (type === 'text') return contains.trim() ? { type, in: textIn, contains: contains.trim() } : null;
    if (type === 'field') {
      const wanted = typedField ? contains.trim() : value;
      return field && wanted !== null && (wanted !== '' || !typedField)
        ? { type, key: field.key, operator, values: [wanted] }
        : null;
    }
    if (type === 'business_hours') return { type, within: !negate };
    if (type === 'status' || type === 'priority') {
      if (!value) return null;
      return type === 'status'
        ? { type, operator, values: [value as (typeof STATUSES)[number]] }
        : { type, operator, values: [value as (typeof PRIORITIES)[number]] };
    }
    if (type === 'label') return value ? { type, operator, values: [value] } : null;
    return options.some((o) => o.value === value) ? { type, operator, values: [value] } : null;
  };
  const condition = build();
  return (
    <View style={styles.editor}>
      <Picker
        label={t('rules.conditionType')}
        options={CONDITION_TYPES.map((c) => ({ value: c, label: t(`rules.conditionKinds.${c}`) }))}
        value={type}
        onChange={(c) => {
          setType(c);
          setValue(null);
        }}
      />
      {type === 'field' ? (
        <>
          <Picker
            label={`${t('rules.conditionType')}: ${t('rules.conditionKinds.field')}`}
            options={(pickables.fields ?? []).map((f) => ({ value: f.key, label: f.name }))}
            value={fieldKey}
            onChange={(key) => {
              setFieldKey(key);
              setValue(null);
              setContains('');
            }}
          />
          {field ? (
            <>
              <Picker
                label={`${field.name}: ${t('rules.is')}`}
                options={[
                  { value: false, label: t('rules.is') },
                  { value: true, label: t('rules.isNot') },
                ]}
                value={negate}
                onChange={setNegate}
              />
              {typedField ? (
                <TextField
                  label={t('rules.fieldValue', { name: field.name })}
                  value={contains}
                  onChangeText={setContains}
                  inputMode={field.type === 'number' ? 'decimal' : 'text'}
                  placeholder={field.type === 'date' ? 'YYYY-MM-DD' : undefined}
                />
              ) : (
                <Picker
                  label={t('rules.fieldValue', { name: field.name })}
                  options={[...fieldValueOptions(t, field), { value: '', label: t('customFields.empty') }]}
                  value={value}
                  onChange={setValue}
                />
              )}
            </>
          ) : null}
        </>
      ) : null}
      {type === 'business_hours' ? (
        <Picker
          label={t('rules.conditionKinds.business_hours')}
          options={[
            { value: false, label: t('rules.businessHours.within') },
            { value: true, label: t('rules.businessHours.outside') },
          ]}
          value={negate}
          onChange={setNegate}
        />
      ) : type === 'field' ? null : type === 'text' ? (
        <>
          <Picker
            label={t('rules.conditionKinds.text')}
            options={TEXT_IN.map((v) => ({ value: v, label: t(`rules.textIn.${v}`) }))}
            value={textIn}
            onChange={setTextIn}
          />
          <TextField label={t('rules.contains')} value={contains} onChangeText={setContains} />
        </>
      ) : (
        <>
          <Picker
            label={`${t(`rules.conditionKinds.${type}`)}: ${t('rules.is')}`}
            options={[
              { value: false, label: t('rules.is') },
              { value: true, label: t('rules.isNot') },
            ]}
            value={negate}
            onChange={setNegate}
          />
          <Picker
            label={`${t('rules.conditionType')}: ${t(`rules.conditionKinds.${type}`)}`}
            options={options}
            value={value}
            onChange={setValue}
          />
        </>
      )}
      <Button
        variant="secondary"
        label={t('rules.addCondition')}
        disabled={condition === null}
        onPress={() => {
          if (!condition) return;
          onAdd(condition);
          setContains('');
          setValue(null);
        }}
      />
    </View>
  );
}

function ActionEditor({ pickables, onAdd }: { pickables: Pickables; onAdd: (a: AutomationAction) => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState<AutomationAction['type']>('set_team');
  const [value, setValue] = useState<string | null | undefined>(undefined);
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState('60');
  const build = (): AutomationAction | null => {
    switch (type) {
      case 'assign':
        return value === undefined ? null : { type, userId: value };
      case 'set_team':
        return value === undefined ? null : { type, teamId: value };
      case 'set_priority':
        return value ? { type, priority: value as (typeof PRIORITIES)[number] } : null;
      case 'set_status': {
        if (!value) return null;
        const status = value as (typeof STATUSES)[number];
        return status === 'snoozed'
          ? { type, status, snoozeMinutes: Math.max(1, Number(minutes) || 1) }
          : { type, status };
      }
      case 'add_note':
      case 'send_reply':
        return text.trim() ? { type, body: text.trim() } : null;
      case 'notify':
        return value ? { type, userIds: [value], ...(text.trim() && { message: text.trim() }) } : null;
      case 'add_label':
      case 'remove_label':
        return value ? { type, labelId: value } : null;
      case 'send_canned_reply':
        return value ? { type, cannedResponseId: value } : null;
    }
  };
  const options: Array<{ value: string | null; label: string }> =
    type === 'assign'
      ? [{ value: null, label: t('rules.nobody') }, ...valueOptions(t, 'assignee', pickables).slice(1)]
      : type === 'notify'
        ? valueOptions(t, 'assignee', pickables).slice(1)
        : type === 'set_team'
          ? valueOptions(t, 'team', pickables)
          : type === 'set_priority'
            ? valueOptions(t, 'priority', pickables)
            : type === 'set_status'
              ? valueOptions(t, 'status', pickables)
              : type === 'send_canned_reply'
                ? (pickables.canned ?? []).map((r) => ({ value: r.id, label: `${r.title} /${r.shortcut}` }))
                : type === 'add_label' || type === 'remove_label'
                  ? valueOptions(t, 'label', pickables)
                  : [];
  const action = build();
  const withText = type === 'add_note' || type === 'send_reply' || type === 'notify';
  return (
    <View style={styles.editor}>
      <Picker
        label={t('rules.actionType')}
        options={ACTION_TYPES.map((a) => ({ value: a, label: t(`rules.actionKinds.${a}`) }))}
        value={type}
        onChange={(a) => {
          setType(a);
          setValue(undefined);
        }}
      />
      {options.length > 0 ? (
        <Picker
          label={`${t('rules.actionType')}: ${t(`rules.actionKinds.${type}`)}`}
          options={options}
          value={value}
          onChange={setValue}
        />
      ) : null}
      {type === 'set_status' && value === 'snoozed' ? (
        <TextField label={t('rules.snoozeMinutes')} keyboardType="numeric" value={minutes} onChangeText={setMinutes} />
      ) : null}
      {withText ? (
        <TextField
          label={type === 'notify' ? t('rules.notifyMessage') : t('rules.body')}
          value={text}
          onChangeText={setText}
          multiline={type !== 'notify'}
        />
      ) : null}
      <Button
        variant="secondary"
        label={t('rules.addAction')}
        disabled={action === null}
        onPress={() => {
          if (!action) return;
          onAdd(action);
          setText('');
          setValue(undefined);
        }}
      />
    </View>
  );
}

/** What a condition of `type` may be compared with. */
function valueOptions(
  t: TFunction,
  type: ConditionType | 'requester',
  { teams, staff, labels = [] }: Pickables,
): Array<{ value: string | null; label: string }> {
  switch (type) {
    case 'status':
      return STATUSES.map((s) => ({ value: s, label: t(`tickets.status.${s}`) }));
    case 'priority':
      return PRIORITIES.map((p) => ({ value: p, label: t(`tickets.priorities.${p}`) }));
    case 'team':
      return [
        { value: null, label: t('rules.noTeam') },
        ...teams.map((team) => ({ value: team.id, label: team.name })),
      ];
    case 'assignee':
      return [
        { value: null, label: t('rules.nobody') },
        ...staff.map((u) => ({ value: u.id, label: personName(u, t) })),
      ];
    case 'label':
      return labels.map((label) => ({ value: label.id, label: label.name }));
    default:
      return [];
  }
}

/** A field's values a condition may name: its options, or yes/no for a checkbox (none for typed ones). */
const fieldValueOptions = (t: TFunction, field: CustomField): Array<{ value: string; label: string }> =>
  field.type === 'checkbox'
    ? [
        { value: 'true', label: t('customFields.yes') },
        { value: 'false', label: t('customFields.no') },
      ]
    : field.options.map((option) => ({ value: option, label: option }));

const nameOf = (t: TFunction, id: string | null, { teams, staff, labels = [] }: Pickables, none: string) =>
  id === null
    ? none
    : (teams.find((x) => x.id === id)?.name ??
      personName(
        staff.find((x) => x.id === id),
        t,
      ) ??
      labels.find((x) => x.id === id)?.name ??
      id);

function describeEvent(t: TFunction, event: AutomationEvent): string {
  return event.type === 'time.elapsed'
    ? `${t('rules.events.time.elapsed')}: ${t('rules.elapsed', { minutes: event.minutes, since: t(`rules.since.${event.since}`) })}`
    : t(`rules.events.${event.type}`);
}

export function describeCondition(t: TFunction, c: AutomationCondition, pickables: Pickables): string {
  if (c.type === 'text') return `${t(`rules.textIn.${c.in}`)} ∋ “${c.contains}”`;
  if (c.type === 'business_hours') return t(c.within ? 'rules.businessHours.within' : 'rules.businessHours.outside');
  if (c.type === 'field') {
    const is = c.operator === 'is' ? t('rules.is') : t('rules.isNot');
    const field = pickables.fields?.find((f) => f.key === c.key);
    const shown = (v: string) =>
      v === ''
        ? t('customFields.empty')
        : (field && fieldValueOptions(t, field).find((o) => o.value === v)?.label) || v;
    return `${field?.name ?? `${t('customFields.condition')} ${c.key}`} ${is} ${c.values.map(shown).join(' / ')}`;
  }
  const values = (c.values as Array<string | null>).map((v) => {
    if (c.type === 'status') return t(`tickets.status.${v}`);
    if (c.type === 'priority') return t(`tickets.priorities.${v}`);
    return nameOf(t, v, pickables, c.type === 'team' ? t('rules.noTeam') : t('rules.nobody'));
  });
  const is = c.operator === 'is' ? t('rules.is') : t('rules.isNot');
  return `${t(`rules.conditionKinds.${c.type}`)} ${is} ${values.join(' / ')}`;
}

export function describeAction(t: TFunction, a: AutomationAction, pickables: Pickables): string {
  const kind = t(`rules.actionKinds.${a.type}`);
  switch (a.type) {
    case 'assign':
      return `${kind}: ${nameOf(t, a.userId, pickables, t('rules.nobody'))}`;
    case 'set_team':
      return `${kind}: ${nameOf(t, a.teamId, pickables, t('rules.noTeam'))}`;
    case 'set_priority':
      return `${kind}: ${t(`tickets.priorities.${a.priority}`)}`;
    case 'set_status':
      return `${kind}: ${t(`tickets.status.${a.status}`)}${a.snoozeMinutes ? ` (${a.snoozeMinutes} min)` : ''}`;
    case 'add_note':
    case 'send_reply':
      return `${kind}: “${a.body}”`;
    case 'notify':
      return `${kind}: ${a.userIds.map((id) => nameOf(t, id, pickables, '')).join(', ')}`;
    case 'add_label':
    case 'remove_label':
      return `${kind}: ${nameOf(t, a.labelId, pickables, '')}`;
    case 'send_canned_reply': {
      const canned = pickables.canned?.find((r) => r.id === a.cannedResponseId);
      return canned ? `${kind}: “${canned.title}” /${canned.shortcut}` : kind;
    }
  }
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8 },
  who: { flexShrink: 1, gap: 2 },
  name: { fontSize: 16, fontWeight: '600' },
  label: { fontSize: 14, fontWeight: '700', marginTop: 10, marginBottom: 4 },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { marginTop: 8 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 6 },
  item: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 4 },
  editor: { borderLeftWidth: 2, borderColor: '#8884', paddingLeft: 10, marginBottom: 6, gap: 4 },
});
