import type { EmailChannel, Team } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { parley } from '../../api/parley';
import { Button } from '../../components/Button';
import { Chip } from '../../components/Chip';
import { FormErrorText } from '../../components/FormErrorText';
import { TextField } from '../../components/TextField';
import { errorText, useFormErrors } from '../../i18n/error-text';
import { useTheme } from '../../theme/theme';
import { useAction } from './use-action';
import { useLoadedList } from '../../api/loaded-list';

/**
 * Admin → Email: the workspace's support addresses, to add (the address, the name replies are
 * sent as, the team new tickets go to), edit and remove. The server's inbound SMTP listener
 * takes the mail; each address belongs to one workspace in the whole installation.
 */
export function EmailPanel() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [teams, setTeams] = useState<Team[]>([]);
  const { items: loaded, loadError, reload } = useLoadedList(() => parley.emailChannels.list());
  const channels = loaded ?? [];
  useEffect(() => {
    parley.teams.list().then(
      ({ items }) => setTeams(items),
      () => setTeams([]),
    );
  }, []);

  return (
    <View>
      {channels.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('emailChannels.empty')}</Text> : null}
      {channels.map((channel) => (
        <ChannelCard key={channel.id} channel={channel} teams={teams} onChanged={() => void reload()} />
      ))}
      <Text style={[styles.help, { color: colors.textMuted }]}>{t('emailChannels.help')}</Text>
      <FormErrorText message={loadError && errorText(t, loadError)} />
      <Text accessibilityRole="header" style={[styles.subheading, { color: colors.text }]}>
        {t('emailChannels.newAddress')}
      </Text>
      <ChannelForm
        submitLabel={t('emailChannels.create')}
        initial={{ address: '', name: '', teamId: null }}
        teams={teams}
        withAddress
        onSubmit={async (draft) => {
          await parley.emailChannels.create({
            address: draft.address.trim(),
            name: draft.name.trim() || null,
            teamId: draft.teamId,
          });
          await reload();
        }}
      />
    </View>
  );
}

function ChannelCard({ channel, teams, onChanged }: { channel: EmailChannel; teams: Team[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const remove = useAction();
  const removeErrors = useFormErrors(remove.error, []);
  const team = channel.teamId ? (teams.find((x) => x.id === channel.teamId)?.name ?? '…') : null;
  return (
    <View
      accessibilityLabel={channel.address}
      style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
    >
      <View style={styles.head}>
        <View style={styles.who}>
          <Text style={[styles.address, { color: colors.text }]}>{channel.address}</Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>
            {t('emailChannels.shown', {
              sender: channel.name ?? t('emailChannels.workspaceName'),
              team: team ?? t('emailChannels.defaultQueue'),
            })}
          </Text>
        </View>
        {editing ? null : (
          <View style={styles.actions}>
            <Button
              variant="secondary"
              label={t('emailChannels.edit')}
              accessibilityLabel={t('emailChannels.editOf', { address: channel.address })}
              onPress={() => setEditing(true)}
            />
            <Button
              variant="danger"
              label={t('emailChannels.remove')}
              accessibilityLabel={t('emailChannels.removeOf', { address: channel.address })}
              onPress={() => setConfirmRemove(true)}
            />
          </View>
        )}
      </View>
      {confirmRemove ? (
        <View style={styles.confirm}>
          <Text style={{ color: colors.textMuted, fontSize: 13 }}>{t('emailChannels.removeWarning')}</Text>
          <View style={styles.actions}>
            <Button
              variant="danger"
              label={t('emailChannels.confirmRemove')}
              busy={remove.busy}
              onPress={() =>
                void remove.run(() => parley.emailChannels.remove(channel.id)).then((done) => done && onChanged())
              }
            />
            <Button variant="secondary" label={t('emailChannels.cancel')} onPress={() => setConfirmRemove(false)} />
          </View>
          <FormErrorText message={removeErrors.summary} />
        </View>
      ) : null}
      {editing ? (
        <ChannelForm
          submitLabel={t('emailChannels.save')}
          initial={{ address: channel.address, name: channel.name ?? '', teamId: channel.teamId }}
          teams={teams}
          onCancel={() => setEditing(false)}
          onSubmit={async (draft) => {
            await parley.emailChannels.update(channel.id, { name: draft.name.trim() || null, teamId: draft.teamId });
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </View>
  );
}

interface ChannelDraft {
  address: string;
  name: string;
  /** null: the desk's default queue. */
  teamId: string | null;
}

/** An address (only when adding one: it cannot change), its sender name and its team. */
function ChannelForm({
  initial,
  teams,
  submitLabel,
  withAddress = false,
  onSubmit,
  onCancel,
}: {
  initial: ChannelDraft;
  teams: Team[];
  submitLabel: string;
  withAddress?: boolean;
  onSubmit: (draft: ChannelDraft) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState(initial);
  const save = useAction();
  const errors = useFormErrors(save.error, withAddress ? ['address', 'name'] : ['name']);
  // The server refuses it too: its replies come back to address+token.
  const hasPlus = withAddress && draft.address.split('@')[0]!.includes('+');
  const submit = async () => {
    if (hasPlus || (withAddress && !draft.address.trim())) return;
    if (await save.run(() => onSubmit(draft))) {
      if (withAddress) setDraft(initial);
    }
  };
  return (
    <View style={styles.form}>
      {withAddress ? (
        <TextField
          label={t('emailChannels.address')}
          value={draft.address}
          onChangeText={(address) => setDraft({ ...draft, address })}
          error={errors.field('address') ?? (hasPlus ? t('emailChannels.noPlus') : undefined)}
          inputMode="email"
          autoCapitalize="none"
          maxLength={200}
          onSubmitEditing={() => void submit()}
        />
      ) : null}
      <TextField
        label={t('emailChannels.senderName')}
        value={draft.name}
        onChangeText={(name) => setDraft({ ...draft, name })}
        error={errors.field('name')}
        maxLength={100}
        onSubmitEditing={() => void submit()}
      />
      <Text style={[styles.label, { color: colors.textMuted }]}>{t('emailChannels.team')}</Text>
      <View style={styles.teams} accessibilityRole="radiogroup" accessibilityLabel={t('emailChannels.team')}>
        <Chip
          label={t('emailChannels.defaultQueue')}
          selected={draft.teamId === null}
          onPress={() => setDraft({ ...draft, teamId: null })}
        />
        {teams.map((team) => (
          <Chip
            key={team.id}
            label={team.name}
            selected={draft.teamId === team.id}
            onPress={() => setDraft({ ...draft, teamId: team.id })}
          />
        ))}
      </View>
      <View style={styles.actions}>
        <Button
          label={submitLabel}
          busy={save.busy}
          disabled={hasPlus || (withAddress && !draft.address.trim())}
          onPress={() => void submit()}
        />
        {onCancel ? <Button variant="secondary" label={t('emailChannels.cancel')} onPress={onCancel} /> : null}
      </View>
      <FormErrorText message={errors.summary} />
    </View>
  );
}

const styles = StyleSheet.create({
  subheading: { fontSize: 16, fontWeight: '700', marginTop: 12, marginBottom: 8 },
  help: { fontSize: 13, marginTop: 4, marginBottom: 4 },
  card: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  head: { flexDirection: 'row', alignItems: 'flex-start', justifyContent: 'space-between', gap: 8 },
  who: { flexShrink: 1, gap: 4 },
  address: { fontSize: 15, fontWeight: '600' },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, alignItems: 'center', marginTop: 8 },
  confirm: { marginTop: 8 },
  form: { gap: 8, marginTop: 8 },
  label: { fontSize: 13, fontWeight: '600' },
  teams: { flexDirection: 'row', flexWrap: 'wrap' },
});
