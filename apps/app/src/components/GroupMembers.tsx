import type { Conversation, PublicUser } from '@parley/protocol';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { errorText } from '../i18n/error-text';
import { personName } from '../people/person-name';
import { useAppDispatch } from '../store';
import { removeGroupMember, setGroupAdmin } from '../store/groups';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { Button } from './Button';
import { FormErrorText } from './FormErrorText';

/** What an admin can do about another member: grant or take back admin, or remove them (asked first). */
function MemberActions({
  member,
  admin,
  busy,
  onSetAdmin,
  onRemove,
}: {
  member: PublicUser;
  admin: boolean;
  busy: string | null;
  onSetAdmin: (admin: boolean) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const name = personName(member, t);
  if (confirming) {
    return (
      <View style={styles.actions}>
        <Button
          variant="danger"
          label={t('groups.confirmRemove')}
          accessibilityLabel={t('groups.confirmRemoveLabel', { name })}
          busy={busy === `remove:${member.id}`}
          onPress={onRemove}
          testID={`confirm-remove-${member.username}`}
        />
        <Button variant="secondary" label={t('groups.cancel')} onPress={() => setConfirming(false)} />
      </View>
    );
  }
  return (
    <View style={styles.actions}>
      <Button
        variant="secondary"
        label={admin ? t('groups.makeMember') : t('groups.makeAdmin')}
        accessibilityLabel={t(admin ? 'groups.makeMemberLabel' : 'groups.makeAdminLabel', { name })}
        busy={busy === `admin:${member.id}`}
        onPress={() => onSetAdmin(!admin)}
      />
      <Button
        variant="danger"
        label={t('groups.remove')}
        accessibilityLabel={t('groups.removeLabel', { name })}
        onPress={() => setConfirming(true)}
        testID={`remove-${member.username}`}
      />
    </View>
  );
}

/** A member: who, whether an admin, and (for the group's admins) what can be done about them. */
function MemberRow({
  member,
  isAdmin,
  you,
  children,
}: {
  member: PublicUser;
  isAdmin: boolean;
  you: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const name = personName(member, t);
  return (
    <View role="listitem" style={[styles.row, { borderTopColor: colors.border }]} testID={`member-${member.username}`}>
      <View style={styles.who}>
        <Avatar name={member.displayName} url={member.avatarUrl} size={32} />
        <View style={styles.words}>
          <Text style={[styles.name, { color: colors.text }]} numberOfLines={1}>
            {you ? t('groups.you', { name }) : name}{' '}
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1}>
            @{member.username}{' '}
          </Text>
        </View>
        {isAdmin ? (
          <Text style={[styles.badge, { color: colors.primary, borderColor: colors.primary }]}>
            {t('groups.admin')}
          </Text>
        ) : null}
      </View>
      {children}
    </View>
  );
}

/**
 * The group's members, admins marked. Its admins may make others admins (or members again) and
 * remove them; the server keeps at least one admin, and says so if asked otherwise.
 */
export function GroupMembers({ group, selfId }: { group: Conversation; selfId: string }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const admins = new Set(group.adminIds);
  const selfAdmin = admins.has(selfId);

  const run = async (key: string, action: () => Promise<{ error?: unknown; payload?: unknown }>) => {
    setBusy(key);
    setError(null);
    const result = await action();
    setBusy(null);
    if (result.error) setError((result.payload as FormError | undefined) ?? toFormError(result.error));
  };

  return (
    <View style={styles.section}>
      <Text accessibilityRole="header" aria-level={3} style={[styles.heading, { color: colors.text }]}>
        {t('groups.memberList')} · {t('groups.members', { count: group.members.length })}
      </Text>
      <View role="list" aria-label={t('groups.memberList')}>
        {group.members.map((member) => (
          <MemberRow key={member.id} member={member} isAdmin={admins.has(member.id)} you={member.id === selfId}>
            {selfAdmin && member.id !== selfId ? (
              <MemberActions
                member={member}
                admin={admins.has(member.id)}
                busy={busy}
                onSetAdmin={(admin) =>
                  void run(`admin:${member.id}`, () =>
                    dispatch(setGroupAdmin({ id: group.id, userId: member.id, admin })),
                  )
                }
                onRemove={() =>
                  void run(`remove:${member.id}`, () =>
                    dispatch(removeGroupMember({ id: group.id, userId: member.id, leaving: false })),
                  )
                }
              />
            ) : null}
          </MemberRow>
        ))}
      </View>
      <FormErrorText message={error && errorText(t, error, 'groups')} />
    </View>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 16 },
  heading: { fontSize: 15, fontWeight: '700', marginBottom: 6 },
  row: { borderTopWidth: StyleSheet.hairlineWidth, paddingVertical: 8, gap: 6 },
  who: { flexDirection: 'row', alignItems: 'center', gap: 10 },
  words: { flex: 1, minWidth: 0 },
  name: { fontSize: 15, fontWeight: '600' },
  badge: {
    fontSize: 12,
    fontWeight: '700',
    borderWidth: 1,
    borderRadius: 10,
    paddingHorizontal: 8,
    paddingVertical: 1,
  },
  actions: { flexDirection: 'row', flexWrap: 'wrap', gap: 6, marginLeft: 42 },
});
