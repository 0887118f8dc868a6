import type { PublicUser } from '@parley/protocol';
import { useFocusEffect } from '@react-navigation/native';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { toFormError, type FormError } from '../api/errors';
import { Avatar } from '../components/Avatar';
import { Button } from '../components/Button';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { errorText, useFormErrors } from '../i18n/error-text';
import type { RootStackParamList } from '../navigation/types';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import {
  answerFriendRequest,
  blockUser,
  findPeople,
  loadContacts,
  removeContact,
  sendFriendRequest,
  unblockUser,
} from '../store/contacts';
import { openDirect } from '../store/conversations';
import { useTheme } from '../theme/theme';

type List = 'found' | 'incoming' | 'outgoing' | 'contacts' | 'blocked';
interface Note {
  text: string;
  error: boolean;
  where: List;
}

/** A person with what can be done about them (the buttons), and a note under them if any. */
function PersonRow({
  user,
  presence,
  note,
  noteIsError,
  children,
}: {
  user: PublicUser;
  presence?: boolean;
  note?: string | undefined;
  noteIsError?: boolean;
  children?: ReactNode;
}) {
  const { colors } = useTheme();
  const status = useAppSelector((s) => (presence ? (s.live.presence[user.id] ?? 'offline') : undefined));
  const { t } = useTranslation();
  return (
    <View
      style={[styles.row, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}
      testID={`person-${user.username}`}
    >
      <View style={styles.rowMain}>
        <Avatar name={user.displayName} url={user.avatarUrl} size={44} presence={status} />
        <View style={styles.who}>
          <Text style={[styles.name, { color: colors.text }]} numberOfLines={1}>
            {personName(user, t)}
          </Text>
          <Text style={{ color: colors.textMuted, fontSize: 13 }} numberOfLines={1}>
            @{user.username}
            {status ? ` · ${t(`presence.${status}`)}` : ''}
            {user.statusText ? ` · ${user.statusText}` : ''}
          </Text>
        </View>
        <View style={styles.actions}>{children}</View>
      </View>
      {note ? (
        <Text
          accessibilityRole={noteIsError ? 'alert' : undefined}
          accessibilityLiveRegion="polite"
          style={[styles.note, { color: noteIsError ? colors.danger : colors.success }]}
        >
          {note}
        </Text>
      ) : null}
    </View>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const { colors } = useTheme();
  return (
    <View style={styles.section}>
      <Text accessibilityRole="header" style={[styles.sectionTitle, { color: colors.text }]}>
        {title}
      </Text>
      {children}
    </View>
  );
}

/** Finding people, friend requests both ways, contacts (message, remove, block) and blocked users. */
export function ContactsScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Contacts'>) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const self = useAppSelector((s) => s.session.user);
  const { contacts, incoming, outgoing, blocked, found } = useAppSelector((s) => s.contacts);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState(false);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<FormError | null>(null);
  const searchErrors = useFormErrors(searchError, ['q']);
  /** A failed action in words, under the person it was about. */
  const failure = (error: FormError) => errorText(t, error, 'contacts');
  /** Which action is running (its key), for the busy spinner. */
  const [busy, setBusy] = useState<string | null>(null);
  /** Per person: what became of the last action (sent, or the server's error), and in which list. */
  const [notes, setNotes] = useState<Record<string, Note>>({});
  const note = (userId: string, value: Note) => setNotes((n) => ({ ...n, [userId]: value }));

  useFocusEffect(
    useCallback(() => {
      void dispatch(loadContacts());
    }, [dispatch]),
  );

  // A friend request arrived, was accepted (or the like): the lists changed on the server.
  const latestRequestNotification = useAppSelector(
    (s) => s.notifications.items.find((n) => n.kind.startsWith('friend_request.'))?.id,
  );
  const seenNotification = useRef(latestRequestNotification);
  useEffect(() => {
    if (latestRequestNotification === seenNotification.current) return;
    seenNotification.current = latestRequestNotification;
    void dispatch(loadContacts());
  }, [dispatch, latestRequestNotification]);

  const run = async (key: string, userId: string, action: () => Promise<unknown>) => {
    setNotes(({ [userId]: _, ...rest }) => rest);
    setBusy(key);
    try {
      await action();
    } finally {
      setBusy(null);
    }
  };

  const search = () => {
    const q = query.trim();
    if (!q) return;
    setSearching(true);
    setSearchError(null);
    void dispatch(findPeople(q)).then((action) => {
      setSearching(false);
      setSearched(true);
      if (findPeople.rejected.match(action)) setSearchError(action.payload ?? null);
    });
  };

  const add = (user: PublicUser) =>
    run(`add:${user.id}`, user.id, async () => {
      const action = await dispatch(sendFriendRequest(user.id));
      if (sendFriendRequest.rejected.match(action)) {
        note(user.id, { text: failure(action.payload ?? toFormError(action.error)), error: true, where: 'found' });
        void dispatch(loadContacts()); // what we showed was stale (a 409): catch up
      } else {
        note(user.id, { text: t('contacts.requestSent', { name: personName(user, t) }), error: false, where: 'found' });
        await dispatch(loadContacts());
      }
    });

  const message = (user: PublicUser) =>
    run(`message:${user.id}`, user.id, async () => {
      const action = await dispatch(openDirect(user.id));
      if (openDirect.fulfilled.match(action)) {
        navigation.navigate('Chat', { id: action.payload.id });
      } else {
        note(user.id, { text: failure(action.payload ?? toFormError(action.error)), error: true, where: 'contacts' });
      }
    });

  /** The list actions reload the lists themselves; a failure shows under the person. */
  const act = (key: string, userId: string, where: List, thunk: () => Promise<{ type: string; error?: unknown }>) =>
    run(key, userId, async () => {
      const result = await thunk();
      if (result.error) note(userId, { text: failure(toFormError(result.error)), error: true, where });
    });

  const contactIds = new Set(contacts.map((c) => c.user.id));
  const outgoingTo = new Map(outgoing.map((r) => [r.toUser.id, r]));
  const incomingFrom = new Map(incoming.map((r) => [r.fromUser.id, r]));
  const blockedIds = new Set(blocked.map((b) => b.user.id));
  /** A note shows in the list it came from; "request sent" only while the request is pending. */
  const noteFor = (where: List, id: string) => {
    const found = notes[id];
    if (!found || found.where !== where) return undefined;
    return found.error || outgoingTo.has(id) ? found : undefined;
  };

  const answer = (id: string, userId: string, where: List, kind: 'accept' | 'decline' | 'cancel') =>
    act(`${kind}:${id}`, userId, where, () => dispatch(answerFriendRequest({ id, answer: kind })));

  return (
    <Screen title={t('contacts.title')}>
      <Section title={t('contacts.find')}>
        <View style={styles.searchRow}>
          <View style={styles.searchField}>
            <TextField
              label={t('contacts.findHint')}
              value={query}
              onChangeText={setQuery}
              onSubmitEditing={search}
              inputMode="search"
              returnKeyType="search"
              autoCapitalize="none"
              autoCorrect={false}
              error={searchErrors.field('q')}
            />
          </View>
          <Button
            label={t('contacts.search')}
            onPress={search}
            busy={searching}
            disabled={!query.trim()}
            style={styles.searchButton}
          />
        </View>
        {searchErrors.summary ? (
          <Text accessibilityRole="alert" style={{ color: colors.danger, marginBottom: 8 }}>
            {searchErrors.summary}
          </Text>
        ) : null}
        {searched && !searchError ? (
          found.length === 0 ? (
            <Text style={{ color: colors.textMuted }}>{t('contacts.noResults')}</Text>
          ) : (
            <View accessibilityLabel={t('contacts.results')}>
              {found.map((user) => {
                const note = noteFor('found', user.id);
                const request = incomingFrom.get(user.id);
                let action: ReactNode;
                if (user.id === self?.id) action = <Text style={{ color: colors.textMuted }}>{t('contacts.you')}</Text>;
                else if (contactIds.has(user.id))
                  action = <Text style={{ color: colors.textMuted }}>{t('contacts.isContact')}</Text>;
                else if (blockedIds.has(user.id))
                  action = <Text style={{ color: colors.textMuted }}>{t('contacts.blocked')}</Text>;
                else if (outgoingTo.has(user.id))
                  action = <Text style={{ color: colors.textMuted }}>{t('contacts.requested')}</Text>;
                else if (request)
                  action = (
                    <Button
                      label={t('contacts.accept')}
                      accessibilityLabel={t('contacts.acceptLabel', { name: personName(user, t) })}
                      busy={busy === `accept:${request.id}`}
                      onPress={() => void answer(request.id, user.id, 'found', 'accept')}
                    />
                  );
                else
                  action = (
                    <Button
                      label={t('contacts.add')}
                      accessibilityLabel={t('contacts.addLabel', { name: personName(user, t) })}
                      busy={busy === `add:${user.id}`}
                      onPress={() => void add(user)}
                    />
                  );
                return (
                  <PersonRow key={user.id} user={user} note={note?.text} noteIsError={note?.error}>
                    {action}
                  </PersonRow>
                );
              })}
            </View>
          )
        ) : null}
      </Section>

      {incoming.length > 0 ? (
        <Section title={t('contacts.incoming')}>
          {incoming.map((request) => {
            const user = request.fromUser;
            const note = noteFor('incoming', user.id);
            return (
              <PersonRow key={request.id} user={user} note={note?.text} noteIsError={note?.error}>
                <Button
                  label={t('contacts.accept')}
                  accessibilityLabel={t('contacts.acceptLabel', { name: personName(user, t) })}
                  busy={busy === `accept:${request.id}`}
                  onPress={() => void answer(request.id, user.id, 'incoming', 'accept')}
                />
                <Button
                  variant="secondary"
                  label={t('contacts.decline')}
                  accessibilityLabel={t('contacts.declineLabel', { name: personName(user, t) })}
                  busy={busy === `decline:${request.id}`}
                  onPress={() => void answer(request.id, user.id, 'incoming', 'decline')}
                />
              </PersonRow>
            );
          })}
        </Section>
      ) : null}

      {outgoing.length > 0 ? (
        <Section title={t('contacts.outgoing')}>
          {outgoing.map((request) => {
            const user = request.toUser;
            const note = noteFor('outgoing', user.id);
            return (
              <PersonRow key={request.id} user={user} note={note?.text} noteIsError={note?.error}>
                <Button
                  variant="secondary"
                  label={t('contacts.cancel')}
                  accessibilityLabel={t('contacts.cancelLabel', { name: personName(user, t) })}
                  busy={busy === `cancel:${request.id}`}
                  onPress={() => void answer(request.id, user.id, 'outgoing', 'cancel')}
                />
              </PersonRow>
            );
          })}
        </Section>
      ) : null}

      <Section title={t('contacts.list')}>
        {contacts.length === 0 ? <Text style={{ color: colors.textMuted }}>{t('contacts.none')}</Text> : null}
        {contacts.map(({ user }) => {
          const note = noteFor('contacts', user.id);
          return (
            <PersonRow key={user.id} user={user} presence note={note?.text} noteIsError={note?.error}>
              <Button
                label={t('contacts.message')}
                accessibilityLabel={t('contacts.messageLabel', { name: personName(user, t) })}
                busy={busy === `message:${user.id}`}
                onPress={() => void message(user)}
              />
              <Button
                variant="secondary"
                label={t('contacts.remove')}
                accessibilityLabel={t('contacts.removeLabel', { name: personName(user, t) })}
                busy={busy === `remove:${user.id}`}
                onPress={() =>
                  void act(`remove:${user.id}`, user.id, 'contacts', () => dispatch(removeContact(user.id)))
                }
              />
              <Button
                variant="danger"
                label={t('contacts.block')}
                accessibilityLabel={t('contacts.blockLabel', { name: personName(user, t) })}
                busy={busy === `block:${user.id}`}
                onPress={() => void act(`block:${user.id}`, user.id, 'contacts', () => dispatch(blockUser(user.id)))}
              />
            </PersonRow>
          );
        })}
      </Section>

      {blocked.length > 0 ? (
        <Section title={t('contacts.blocked')}>
          {blocked.map(({ user }) => {
            const note = noteFor('blocked', user.id);
            return (
              <PersonRow key={user.id} user={user} note={note?.text} noteIsError={note?.error}>
                <Button
                  variant="secondary"
                  label={t('contacts.unblock')}
                  accessibilityLabel={t('contacts.unblockLabel', { name: personName(user, t) })}
                  busy={busy === `unblock:${user.id}`}
                  onPress={() =>
                    void act(`unblock:${user.id}`, user.id, 'blocked', () => dispatch(unblockUser(user.id)))
                  }
                />
              </PersonRow>
            );
          })}
        </Section>
      ) : null}
    </Screen>
  );
}

const styles = StyleSheet.create({
  section: { marginBottom: 20 },
  sectionTitle: { fontSize: 17, fontWeight: '700', marginBottom: 10 },
  searchRow: { flexDirection: 'row', alignItems: 'flex-end' },
  searchField: { flex: 1, marginRight: 8 },
  searchButton: { marginBottom: 12 },
  row: { borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  rowMain: { flexDirection: 'row', alignItems: 'center', flexWrap: 'wrap' },
  who: { flex: 1, minWidth: 160, marginLeft: 12, marginRight: 8 },
  name: { fontSize: 16, fontWeight: '600', marginBottom: 2 },
  actions: { flexDirection: 'row', flexWrap: 'wrap', alignItems: 'center', gap: 8 },
  note: { fontSize: 13, marginTop: 8 },
});
