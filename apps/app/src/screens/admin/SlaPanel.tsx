import type { Label, SlaEscalationStep, SlaPolicy, Team, TicketPriority } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Switch, Text, View } from 'react-native';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { useWorkspaceLabels } from '../../components/LabelFilter';
import { TextField } from '../../components/TextField';
import { errorText } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';

const PRIORITIES: TicketPriority[] = ['low', 'medium', 'high', 'urgent'];
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** What the form holds: numbers as typed, turned into a policy on save. */
interface Draft {
  minutes: Record<TicketPriority, { first: string; resolve: string }>;
  atRisk: string;
  hoursOn: boolean;
  timeZone: string;
  days: number[];
  opens: string;
  closes: string;
  holidays: string;
  steps: SlaEscalationStep[];
}

const DEFAULT_DRAFT: Draft = {
  minutes: {
    low: { first: '480', resolve: '4320' },
    medium: { first: '240', resolve: '1440' },
    high: { first: '60', resolve: '480' },
    urgent: { first: '15', resolve: '240' },
  },
  atRisk: '75',
  hoursOn: false,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  days: [1, 2, 3, 4, 5],
  opens: '09:00',
  closes: '17:00',
  holidays: '',
  steps: [],
};

function draftOf(policy: SlaPolicy): Draft {
  const hours = policy.businessHours;
  return {
    minutes: Object.fromEntries(
      PRIORITIES.map((p) => [
        p,
        { first: String(policy.targets[p].firstResponseMinutes), resolve: String(policy.targets[p].resolutionMinutes) },
      ]),
    ) as Draft['minutes'],
    atRisk: String(policy.atRiskPercent),
    hoursOn: hours !== null,
    timeZone: hours?.timeZone ?? DEFAULT_DRAFT.timeZone,
    days: hours ? [...new Set(hours.week.map((w) => w.day))] : DEFAULT_DRAFT.days,
    opens: hours?.week[0]?.from ?? '09:00',
    closes: hours?.week[0]?.to ?? '17:00',
    holidays: hours?.holidays.join(', ') ?? '',
    steps: policy.escalation,
  };
}

function policyOf(d: Draft): SlaPolicy {
  return {
    targets: Object.fromEntries(
      PRIORITIES.map((p) => [
        p,
        { firstResponseMinutes: Number(d.minutes[p].first), resolutionMinutes: Number(d.minutes[p].resolve) },
      ]),
    ) as SlaPolicy['targets'],
    atRiskPercent: Number(d.atRisk),
    businessHours: d.hoursOn
      ? {
          timeZone: d.timeZone.trim(),
          week: [...d.days].sort().map((day) => ({ day, from: d.opens.trim(), to: d.closes.trim() })),
          holidays: d.holidays
            .split(',')
            .map((h) => h.trim())
            .filter(Boolean),
        }
      : null,
    escalation: d.steps,
  };
}

/** The workspace's SLA: targets per priority, the warning share, business hours, escalation steps. */
export function SlaPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [exists, setExists] = useState(false);
  const [saved, setSaved] = useState(false);
  const [teams, setTeams] = useState<Team[]>([]);
  const labels = useWorkspaceLabels();
  const save = useAction();
  useEffect(() => {
    void save.run(async () => {
      const { policy } = await parley.slaPolicy.get();
      setExists(policy !== null);
      setDraft(policy ? draftOf(policy) : DEFAULT_DRAFT);
    });
    parley.teams.list().then(
      ({ items }) => setTeams(items),
      () => setTeams([]),
    );
  }, []);
  if (!draft) return <FormErrorText message={save.error && errorText(t, save.error)} />;

  const change = (changes: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...changes });
  };
  const submit = async () => {
    if (await save.run(() => parley.slaPolicy.set(policyOf(draft)))) {
      setExists(true);
      setSaved(true);
    }
  };
  const turnOff = async () => {
    if (await save.run(() => parley.slaPolicy.remove())) {
      setExists(false);
      setDraft(DEFAULT_DRAFT);
    }
  };
  const heading = [styles.heading, { color: colors.text }];

  return (
    <View testID="sla-panel">
      {!exists ? <Text style={{ color: colors.textMuted, marginBottom: 8 }}>{t('sla.panel.none')}</Text> : null}
      <Text style={heading} accessibilityRole="header">
        {t('sla.panel.targets')}
      </Text>
      {PRIORITIES.map((p) => {
        const priority = t(`tickets.priorities.${p}`);
        return (
          <View key={p} style={styles.row}>
            <TextField
              label={t('sla.panel.firstResponseOf', { priority })}
              value={draft.minutes[p].first}
              inputMode="numeric"
              onChangeText={(first) => change({ minutes: { ...draft.minutes, [p]: { ...draft.minutes[p], first } } })}
            />
            <TextField
              label={t('sla.panel.resolutionOf', { priority })}
              value={draft.minutes[p].resolve}
              inputMode="numeric"
              onChangeText={(resolve) =>
                change({ minutes: { ...draft.minutes, [p]: { ...draft.minutes[p], resolve } } })
              }
            />
          </View>
        );
      })}
      <TextField
        label={t('sla.panel.atRiskPercent')}
        value={draft.atRisk}
        inputMode="numeric"
        onChangeText={(atRisk) => change({ atRisk })}
      />

      <View style={styles.switchRow}>
        <Text style={heading}>{t('sla.panel.businessHours')}</Text>
        <Switch
          accessibilityLabel={t('sla.panel.businessHours')}
          value={draft.hoursOn}
          onValueChange={(hoursOn) => change({ hoursOn })}
        />
      </View>
      {draft.hoursOn ? (
        <View>
          <TextField
            label={t('sla.panel.timeZone')}
            value={draft.timeZone}
            onChangeText={(timeZone) => change({ timeZone })}
          />
          <Text style={{ color: colors.textMuted }}>{t('sla.panel.days')}</Text>
          <View style={styles.chips} role="group" accessibilityLabel={t('sla.panel.days')}>
            {DAYS.map((day) => (
              <Chip
                key={day}
                label={t(`sla.weekdays.${day}`)}
                selected={draft.days.includes(day)}
                onPress={() =>
                  change({
                    days: draft.days.includes(day) ? draft.days.filter((d) => d !== day) : [...draft.days, day],
                  })
                }
              />
            ))}
          </View>
          <View style={styles.row}>
            <TextField label={t('sla.panel.opens')} value={draft.opens} onChangeText={(opens) => change({ opens })} />
            <TextField
              label={t('sla.panel.closes')}
              value={draft.closes}
              onChangeText={(closes) => change({ closes })}
            />
          </View>
          <TextField
            label={t('sla.panel.holidays')}
            value={draft.holidays}
            onChangeText={(holidays) => change({ holidays })}
          />
        </View>
      ) : null}

      <Text style={heading} accessibilityRole="header">
        {t('sla.panel.escalation')}
      </Text>
      {draft.steps.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('sla.panel.noSteps')}</Text> : null}
      {draft.steps.map((step, i) => (
        <View key={i} style={styles.stepRow} testID={`sla-step-${i + 1}`}>
          <Text style={{ color: colors.text, flex: 1 }}>{stepText(t, step, teams, labels)} </Text>
          <Button
            label={t('sla.panel.removeStep', { n: i + 1 })}
            variant="secondary"
            onPress={() => change({ steps: draft.steps.filter((_, j) => j !== i) })}
          />
        </View>
      ))}
      <StepForm teams={teams} labels={labels} onAdd={(step) => change({ steps: [...draft.steps, step] })} />

      <FormErrorText message={save.error && errorText(t, save.error)} />
      {saved ? (
        <Text accessibilityRole="alert" style={{ color: colors.success }}>
          {t('sla.panel.saved')}
        </Text>
      ) : null}
      <View style={styles.row}>
        <Button label={t('sla.panel.save')} busy={save.busy} onPress={() => void submit()} />
        {exists ? <Button label={t('sla.panel.turnOff')} variant="danger" onPress={() => void turnOff()} /> : null}
      </View>
    </View>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function stepText(t: T, step: SlaEscalationStep, teams: Team[], labels: Label[]): string {
  const a = step.action;
  const action =
    a.type === 'reassign'
      ? t('sla.panel.action.reassign', { team: teams.find((x) => x.id === a.teamId)?.name ?? '…' })
      : a.type === 'add_label'
        ? t('sla.panel.action.add_label', { label: labels.find((x) => x.id === a.labelId)?.name ?? '…' })
        : t(`sla.panel.action.${a.type}`);
  return `${t(`sla.panel.when.${step.when}`)} (${t(`sla.panel.target.${step.target}`)}): ${action}`;
}

/** A new escalation step: when, for which target, and what happens. */
function StepForm({
  teams,
  labels,
  onAdd,
}: {
  teams: Team[];
  labels: Label[];
  onAdd: (step: SlaEscalationStep) => void;
}) {
  const { t } = useTranslation();
  const [when, setWhen] = useState<SlaEscalationStep['when']>('breached');
  const [target, setTarget] = useState<SlaEscalationStep['target']>('first_response');
  const [type, setType] = useState<SlaEscalationStep['action']['type']>('raise_priority');
  const [teamId, setTeamId] = useState<string | null>(null);
  const [labelId, setLabelId] = useState<string | null>(null);
  const action: SlaEscalationStep['action'] | null =
    type === 'notify'
      ? { type, assignee: true, team: true, userIds: [] }
      : type === 'raise_priority'
        ? { type, to: null }
        : type === 'reassign' && teamId
          ? { type, teamId, assigneeId: null }
          : type === 'add_label' && labelId
            ? { type, labelId }
            : null;
  return (
    <View style={styles.stepForm}>
      <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('sla.panel.escalation')}>
        {(['at_risk', 'breached'] as const).map((w) => (
          <Chip key={w} label={t(`sla.panel.when.${w}`)} selected={when === w} onPress={() => setWhen(w)} />
        ))}
      </View>
      <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('sla.title')}>
        {(['first_response', 'resolution'] as const).map((x) => (
          <Chip key={x} label={t(`sla.panel.target.${x}`)} selected={target === x} onPress={() => setTarget(x)} />
        ))}
      </View>
      <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('sla.panel.addStep')}>
        {(['notify', 'raise_priority', 'reassign', 'add_label'] as const).map((a) => (
          <Chip
            key={a}
            label={
              a === 'reassign'
                ? t('sla.panel.reassignTo')
                : a === 'add_label'
                  ? t('sla.panel.addLabel')
                  : t(`sla.panel.action.${a}`)
            }
            selected={type === a}
            onPress={() => setType(a)}
          />
        ))}
      </View>
      {type === 'reassign' ? (
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('sla.panel.reassignTo')}>
          {teams.map((team) => (
            <Chip key={team.id} label={team.name} selected={teamId === team.id} onPress={() => setTeamId(team.id)} />
          ))}
        </View>
      ) : null}
      {type === 'add_label' ? (
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('sla.panel.addLabel')}>
          {labels.map((label) => (
            <Chip
              key={label.id}
              label={label.name}
              selected={labelId === label.id}
              onPress={() => setLabelId(label.id)}
            />
          ))}
        </View>
      ) : null}
      <Button
        label={t('sla.panel.addStep')}
        variant="secondary"
        disabled={!action}
        onPress={() => action && onAdd({ when, target, action })}
      />
    </View>
  );
}

const styles = StyleSheet.create({
  heading: { fontSize: 15, fontWeight: '600', marginVertical: 8 },
  row: { flexDirection: 'row', flexWrap: 'wrap', gap: 12 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginBottom: 8 },
  switchRow: { flexDirection: 'row', alignItems: 'center', gap: 12, marginVertical: 8 },
  stepRow: { flexDirection: 'row', alignItems: 'center', gap: 8, marginBottom: 6 },
  stepForm: { marginVertical: 8 },
});
