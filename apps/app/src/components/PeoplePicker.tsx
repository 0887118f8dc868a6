import type { PublicUser } from '@parley/protocol';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { can } from '../api/permissions';
import { useUserSearch } from '../search/useUserSearch';
import { useAppDispatch, useAppSelector } from '../store';
import { personName } from '../people/person-name';
import { loadContacts } from '../store/contacts';
import { useTheme } from '../theme/theme';
import { Avatar } from './Avatar';
import { TextField } from './TextField';

/** Most people a search or a filter offers at once: more is a sign to type more. */
const SHOWN = 20;

/** Customers: their contacts whose name or username holds `q` (all of them while it is empty). */
function useContactChoices(q: string, enabled: boolean): { people: PublicUser[]; none: boolean } {
  const dispatch = useAppDispatch();
  const contacts = useAppSelector((s) => s.contacts.contacts);
  useEffect(() => {
    if (enabled) void dispatch(loadContacts());
  }, [dispatch, enabled]);
  return useMemo(() => {
    const words = q.trim().toLowerCase();
    const people = contacts
      .map((c) => c.user)
      .filter((u) => !words || u.displayName.toLowerCase().includes(words) || u.username.toLowerCase().includes(words));
    return { people, none: contacts.length === 0 };
  }, [contacts, q]);
}

/** One person to tick: a checkbox named by who they are. */
function PersonOption({ user, chosen, onToggle }: { user: PublicUser; chosen: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const name = personName(user, t);
  return (
    <Pressable
      accessibilityRole="checkbox"
      accessibilityState={{ checked: chosen }}
      aria-checked={chosen}
      accessibilityLabel={`${name} @${user.username}`}
      onPress={onToggle}
      testID={`pick-${user.username}`}
      style={({ pressed, focused }: { pressed: boolean; focused?: boolean }) => [
        styles.option,
        { borderColor: chosen ? colors.primary : colors.border, backgroundColor: colors.surfaceRaised },
        pressed && { backgroundColor: colors.surface },
        focused && { outlineColor: colors.link, outlineWidth: 2, outlineStyle: 'solid' as const },
      ]}
    >
      <Text style={[styles.tick, { color: chosen ? colors.primary : colors.textMuted }]} aria-hidden>
        {chosen ? '☑' : '☐'}
      </Text>
      <Avatar name={user.displayName} url={user.avatarUrl} size={28} />
      <Text style={[styles.name, { color: colors.text }]} numberOfLines={1}>
        {name} <Text style={{ color: colors.textMuted, fontWeight: '400' }}>@{user.username}</Text>
      </Text>
    </Pressable>
  );
}

/**
 * Choosing people for a group: staff find anyone of the workspace by name, customers choose
 * among their contacts (the server allows no one else). Whoever is chosen stays listed first,
 * whatever the search shows, so a choice is never lost by typing on.
 */
export function PeoplePicker({
  chosen,
  onChange,
  exclude = [],
  label,
}: {
  chosen: readonly PublicUser[];
  onChange: (people: PublicUser[]) => void;
  /** Who cannot be chosen: the user, and the group's members when adding to it. */
  exclude?: readonly string[];
  /** What the list is called for screen readers ("People", "Add people"). */
  label: string;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const user = useAppSelector((s) => s.session.user);
  const staff = can(user, 'tickets.work');
  const [query, setQuery] = useState('');
  const searched = useUserSearch(staff ? query : '', { limit: SHOWN });
  const contacts = useContactChoices(query, !staff);
  const chosenIds = new Set(chosen.map((p) => p.id));
  const left = new Set([...exclude, ...(user ? [user.id] : [])]);
  const offered = [...chosen, ...(staff ? searched : contacts.people).filter((p) => !chosenIds.has(p.id))]
    .filter((p) => !left.has(p.id))
    .slice(0, SHOWN + chosen.length);
  const toggle = (person: PublicUser) =>
    onChange(chosenIds.has(person.id) ? chosen.filter((p) => p.id !== person.id) : [...chosen, person]);
  const nobody = staff ? query.trim() !== '' && searched.length === 0 : contacts.people.length === 0;

  return (
    <View testID="people-picker">
      <TextField
        label={staff ? t('groups.findPeople') : t('groups.filterContacts')}
        value={query}
        onChangeText={setQuery}
        inputMode="search"
        autoCapitalize="none"
        autoCorrect={false}
      />
      <View role="group" aria-label={label} style={styles.options}>
        {offered.map((person) => (
          <PersonOption
            key={person.id}
            user={person}
            chosen={chosenIds.has(person.id)}
            onToggle={() => toggle(person)}
          />
        ))}
      </View>
      {nobody ? (
        <Text style={[styles.note, { color: colors.textMuted }]}>
          {!staff && contacts.none ? t('groups.noContacts') : t('groups.noneFound')}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  options: { gap: 6, marginBottom: 8 },
  option: {
    flexDirection: 'row',
    alignItems: 'center',
    gap: 10,
    borderWidth: 1,
    borderRadius: 8,
    paddingHorizontal: 10,
    minHeight: 44,
  },
  tick: { fontSize: 18, width: 20 },
  name: { flex: 1, fontSize: 15, fontWeight: '600' },
  note: { marginBottom: 8 },
});
