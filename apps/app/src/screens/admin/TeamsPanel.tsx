import type { AssignmentMode, PublicUser, Team, TeamDetail } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { useAction } from './use-action';
import { parley } from '../../api/parley';
import { Avatar } from '../../components/Avatar';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { useFormErrors } from '../../i18n/error-text';
import { personName } from '../../people/person-name';
import { useTheme } from '../../theme/theme';

/** The teams tickets are routed to: create, rename, describe, staff and delete them. */
export function TeamsPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [teams, setTeams] = useState<Team[]>([]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const create = useAction();
  const createErrors = useFormErrors(create.error, ['name', 'description', 'category']);
  const reload = useCallback(async () => setTeams((await parley.teams.list()).items), []);
  useEffect(() => void reload().catch(() => undefined), [reload]);

  const submit = async () => {
    const done = await create.run(() =>
      parley.teams.create({
        name,
        ...(description.trim() && { description: description.trim() }),
        ...(category.trim() && { category: category.trim() }),
      }),
    );
    if (!done) return;
    setName('');
    setDescription('');
    setCategory('');
    await reload();
  };

  return (
    <View>
      {teams.map((team) => (
        <TeamCard key={team.id} team={team} onChanged={() => void reload()} />
      ))}
      {teams.length === 0 ? (
        <Text style={{ marginBottom: 12, color: colors.textMuted }}>{t('admin.noTeams')}</Text>
      ) : null}
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('admin.newTeam')}
      </Text>
      <TextField label={t('admin.teamName')} value={name} onChangeText={setName} error={createErrors.field('name')} />
      <TextField
        label={t('admin.teamDescription')}
        value={description}
        onChangeText={setDescription}
        error={createErrors.field('description')}
      />
      <TextField
        label={t('admin.teamCategory')}
        value={category}
        onChangeText={setCategory}
        error={createErrors.field('category')}
      />
      <FormErrorText message={createErrors.summary} />
      <Button label={t('admin.createTeam')} busy={create.busy} disabled={!name.trim()} onPress={() => void submit()} />
    </View>
  );
}

function TeamCard({ team, onChanged }: { team: Team; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [open, setOpen] = useState(false);
  const [detail, setDetail] = useState<TeamDetail | null>(null);
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description ?? '');
  const [category, setCategory] = useState(team.category ?? '');
  const [mode, setMode] = useState<AssignmentMode>(team.assignment.mode);
  const [capacity, setCapacity] = useState(team.assignment.capacity?.toString() ?? '');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const action = useAction();
  const actionErrors = useFormErrors(action.error, ['name', 'description', 'category', 'assignment.capacity']);
  /** Members' own limits as typed (empty: the team's). */
  const [own, setOwn] = useState<Record<string, string>>({});
  const load = useCallback(async () => {
    const loaded = await parley.teams.get(team.id);
    setDetail(loaded);
    setOwn(Object.fromEntries(loaded.memberCapacities.map((c) => [c.userId, String(c.capacity)])));
  }, [team.id]);
  useEffect(() => {
    if (open) void load().catch(() => undefined);
  }, [open, load]);

  const save = async () => {
    if (
      await action.run(() =>
        parley.teams.update(team.id, {
          name,
          description: description.trim() || null,
          category: category.trim() || null,
          assignment: { mode, capacity: asCapacity(capacity) },
          ...(detail && {
            memberCapacities: detail.members.map((m) => ({ userId: m.id, capacity: asCapacity(own[m.id] ?? '') })),
          }),
        }),
      )
    )
      onChanged();
  };
  const remove = async () => {
    if (await action.run(() => parley.teams.remove(team.id))) onChanged();
  };
  const changeMember = async (userId: string, add: boolean) => {
    await action.run(() =>
      add ? parley.teams.addMember(team.id, userId) : parley.teams.removeMember(team.id, userId),
    );
    await load();
  };

  return (
    <View
      testID={`admin-team-${team.name}`}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.cardHead}>
        <View style={{ flexShrink: 1 }}>
          <Text style={[styles.name, { color: colors.text }]}>{team.name}</Text>
          {team.description ? <Text style={{ color: colors.textMuted }}>{team.description}</Text> : null}
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {team.category ? t('admin.offeredAs', { category: team.category }) : t('admin.notOffered')}
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {t('admin.assignmentShown', { mode: t(`admin.assignmentModes.${team.assignment.mode}`) })}
          </Text>
        </View>
        <Button
          variant="secondary"
          label={open ? t('admin.close') : t('admin.manage')}
          accessibilityLabel={t(open ? 'admin.closeTeam' : 'admin.manageTeam', { name: team.name })}
          onPress={() => setOpen(!open)}
        />
      </View>
      {open ? (
        <View style={{ marginTop: 12 }}>
          <TextField
            label={t('admin.teamName')}
            value={name}
            onChangeText={setName}
            error={actionErrors.field('name')}
          />
          <TextField
            label={t('admin.teamDescription')}
            value={description}
            onChangeText={setDescription}
            error={actionErrors.field('description')}
          />
          <TextField
            label={t('admin.teamCategory')}
            value={category}
            onChangeText={setCategory}
            error={actionErrors.field('category')}
          />
          <Text style={[styles.label, { color: colors.text }]}>{t('admin.assignment')}</Text>
          <View style={styles.buttons} accessibilityRole="radiogroup" accessibilityLabel={t('admin.assignment')}>
            {ASSIGNMENT_MODES.map((choice) => (
              <Chip
                key={choice}
                label={t(`admin.assignmentModes.${choice}`)}
                selected={mode === choice}
                onPress={() => setMode(choice)}
              />
            ))}
          </View>
          <TextField
            label={t('admin.capacity')}
            value={capacity}
            onChangeText={setCapacity}
            inputMode="numeric"
            error={actionErrors.field('assignment.capacity')}
          />
          <FormErrorText message={actionErrors.summary} />
          <View style={styles.buttons}>
            <Button label={t('admin.save')} busy={action.busy} onPress={() => void save()} />
            {confirmDelete ? (
              <>
                <Button variant="danger" label={t('admin.confirmDeleteTeam')} onPress={() => void remove()} />
                <Button variant="secondary" label={t('admin.cancel')} onPress={() => setConfirmDelete(false)} />
              </>
            ) : (
              <Button variant="danger" label={t('admin.deleteTeam')} onPress={() => setConfirmDelete(true)} />
            )}
          </View>
          {confirmDelete ? (
            <Text accessibilityRole="alert" style={{ color: colors.danger, marginTop: 6 }}>
              {t('admin.deleteTeamWarning')}
            </Text>
          ) : null}
          <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
            {t('admin.members')}
          </Text>
          {detail?.members.length === 0 ? (
            <Text style={{ color: colors.textMuted }}>{t('admin.noMembers')}</Text>
          ) : null}
          {detail?.members.map((member) => (
            <View key={member.id}>
              <MemberRow
                user={member}
                action={t('admin.removeMember')}
                label={t('admin.removeMemberOf', { name: personName(member, t), team: team.name })}
                onPress={() => void changeMember(member.id, false)}
              />
              <TextField
                label={t('admin.memberCapacity', { name: personName(member, t) })}
                value={own[member.id] ?? ''}
                onChangeText={(text) => setOwn({ ...own, [member.id]: text })}
                inputMode="numeric"
              />
            </View>
          ))}
          <AddMember
            team={team}
            memberIds={detail?.members.map((m) => m.id) ?? []}
            onAdd={(id) => void changeMember(id, true)}
          />
        </View>
      ) : null}
    </View>
  );
}

/** Finds staff by name to add; only agents and admins may be members. */
function AddMember({ team, memberIds, onAdd }: { team: Team; memberIds: string[]; onAdd: (id: string) => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PublicUser[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!q) return setFound([]);
    const timer = setTimeout(() => {
      void Promise.all([
        parley.users.search({ q, role: 'agent', limit: 10 }),
        parley.users.search({ q, role: 'admin', limit: 10 }),
      ]).then(
        ([agents, admins]) => setFound([...agents.items, ...admins.items]),
        () => setFound([]),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <View style={{ marginTop: 8 }}>
      <TextField
        label={t('admin.addMemberTo', { team: team.name })}
        value={query}
        onChangeText={setQuery}
        inputMode="search"
      />
      {found
        .filter((user) => !memberIds.includes(user.id))
        .map((user) => (
          <MemberRow
            key={user.id}
            user={user}
            action={t('admin.addMember')}
            label={t('admin.addMemberOf', { name: personName(user, t), team: team.name })}
            onPress={() => onAdd(user.id)}
          />
        ))}
    </View>
  );
}

function MemberRow(props: { user: PublicUser; action: string; label: string; onPress: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View style={styles.member}>
      <Avatar name={props.user.displayName} url={props.user.avatarUrl} size={32} />
      <Text style={{ color: colors.text, flex: 1, marginLeft: 8 }} numberOfLines={1}>
        {personName(props.user, t)} · @{props.user.username}
      </Text>
      <Button variant="link" label={props.action} accessibilityLabel={props.label} onPress={props.onPress} />
    </View>
  );
}

/** A limit as typed: a whole number, or none (empty). */
const asCapacity = (text: string): number | null => (text.trim() ? Number(text.trim()) : null);

const ASSIGNMENT_MODES: readonly AssignmentMode[] = ['off', 'round_robin', 'least_loaded'];

const styles = StyleSheet.create({
  label: { fontSize: 14, fontWeight: '600', marginTop: 4, marginBottom: 6 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  cardHead: { flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', gap: 8 },
  name: { fontSize: 16, fontWeight: '600' },
  buttons: { flexDirection: 'row', flexWrap: 'wrap', gap: 8 },
  subheading: { fontSize: 15, fontWeight: '700', marginTop: 16, marginBottom: 8 },
  member: { flexDirection: 'row', alignItems: 'center', paddingVertical: 4 },
});
