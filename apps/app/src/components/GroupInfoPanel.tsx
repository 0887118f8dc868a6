import type { Conversation } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import type { FormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { useAppDispatch } from '../store';
import { removeGroupMember } from '../store/groups';
import { useTheme } from '../theme/theme';
import { AddGroupPeople } from './AddGroupPeople';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';
import { GroupDetails } from './GroupDetails';
import { GroupMembers } from './GroupMembers';
import { NotifyButton } from './NotifyButton';

/** "Leave group", asked first: the group is gone from the user's list at once. */
function LeaveGroup({ group, selfId, onLeft }: { group: Conversation; selfId: string; onLeft: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);

  const leave = async () => {
    setBusy(true);
    const result = await dispatch(removeGroupMember({ id: group.id, userId: selfId, leaving: true }));
    setBusy(false);
    if (removeGroupMember.fulfilled.match(result)) onLeft();
    else setError(result.payload ?? { code: 'internal', fields: {} });
  };

  if (!confirming) {
    return (
      <Button
        variant="danger"
        label={t('groups.leave')}
        onPress={() => setConfirming(true)}
        style={styles.leave}
        testID="group-leave"
      />
    );
  }
  return (
    <View>
      <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>{t('groups.leaveWarning')}</Text>
      <View style={styles.actions}>
        <Button
          variant="danger"
          label={t('groups.confirmLeave')}
          busy={busy}
          onPress={() => void leave()}
          testID="group-leave-confirm"
        />
        <Button variant="secondary" label={t('groups.cancel')} onPress={() => setConfirming(false)} />
      </View>
      <FormErrorText message={error && errorText(t, error, 'groups')} />
    </View>
  );
}

/**
 * A group's info: name and topic (any member edits them), its members with admins marked
 * (admins add, remove and promote), and leaving it. It follows the group live.
 */
export function GroupInfoPanel({
  group,
  selfId,
  onLeft,
}: {
  group: Conversation;
  selfId: string;
  /** The user left: take them somewhere else than this group. */
  onLeft: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  return (
    <View testID="group-info">
      <Text accessibilityRole="header" aria-level={2} style={[styles.heading, { color: colors.text }]}>
        {t('groups.info')}
      </Text>
      <GroupDetails group={group} />
      <GroupMembers group={group} selfId={selfId} />
      {group.adminIds.includes(selfId) ? <AddGroupPeople group={group} /> : null}
      <View style={styles.mute}>
        <Text style={{ color: colors.textMuted, fontSize: 13, marginBottom: 8 }}>{t('unread.muteHint')}</Text>
        <NotifyButton conversationId={group.id} withWords />
      </View>
      <LeaveGroup group={group} selfId={selfId} onLeft={onLeft} />
    </View>
  );
}

const styles = StyleSheet.create({
  heading: { fontSize: 17, fontWeight: '700', marginBottom: 10 },
  leave: { alignSelf: 'flex-start' },
  mute: { alignItems: 'flex-start', marginVertical: 12 },
  actions: { flexDirection: 'row', gap: 8 },
});
