import type { Ticket } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FlatList, Pressable, StyleSheet, Text, View } from 'react-native';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Chip } from '../components/Chip';
import { RelativeTime } from '../components/RelativeTime';
import { Screen } from '../components/Screen';
import { EmptyPane, SplitView } from '../components/SplitView';
import { TextField } from '../components/TextField';
import { errorText } from '../i18n/error-text';
import { useLayout } from '../navigation/layout';
import { anchorProps, hrefOf } from '../navigation/web-anchor';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import { loadMoreTickets, loadTickets, setFilters, type TicketFilters } from '../store/tickets';
import { useTheme } from '../theme/theme';

const STATUSES = ['open', 'in_progress', 'closed'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

export const PRIORITY_COLOURS = { low: '#64748b', medium: '#2563eb', high: '#c2410c', urgent: '#b91c1c' } as const;

function TicketRow({ ticket, selected, onPress }: { ticket: Ticket; selected: boolean; onPress: () => void }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const unread = useAppSelector((s) => s.conversations.byId[ticket.conversationId]?.unreadCount ?? 0);
  return (
    <Pressable
      accessibilityRole="link"
      accessibilityLabel={`${ticket.subject}, ${t(`tickets.status.${ticket.status}`)}, ${t(`tickets.priorities.${ticket.priority}`)}`}
      aria-current={selected ? 'page' : undefined}
      {...anchorProps(hrefOf('Ticket', { id: ticket.id }), onPress)}
      style={({ pressed }) => [
        styles.row,
        { borderColor: colors.border, backgroundColor: pressed ? colors.surface : colors.surfaceRaised },
        selected && { borderColor: colors.primary, backgroundColor: colors.surface },
      ]}
    >
      <View style={[styles.priority, { backgroundColor: PRIORITY_COLOURS[ticket.priority] }]} />
      <View style={styles.rowBody}>
        <Text style={[styles.subject, { color: colors.text }]} numberOfLines={1}>
          {ticket.subject}
        </Text>
        <Text style={{ color: colors.textMuted, fontSize: 13 }}>
          {t(`tickets.status.${ticket.status}`)} · {t(`tickets.priorities.${ticket.priority}`)} ·{' '}
          <RelativeTime at={ticket.updatedAt} />
        </Text>
      </View>
      <Badge count={unread} label={t('conversations.unread', { count: unread })} />
    </Pressable>
  );
}

/** "Queue" for staff, "My tickets" for customers. */
export function useQueueTitle(): string {
  const { t } = useTranslation();
  const staff = useAppSelector((s) => s.session.user?.role !== 'customer');
  return staff ? t('tickets.queue') : t('tickets.mine');
}

/**
 * My tickets (customer) or the queue (agent, admin), filtered, searchable, live: the list alone,
 * for the Tickets screen and for the column beside an open ticket on wide screens.
 */
export function TicketQueue({
  selectedId,
  onOpen,
  onNew,
}: {
  /** The ticket open beside the list, marked in it. */
  selectedId?: string;
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const user = useAppSelector((s) => s.session.user);
  const { ids, byId, filters, loading, nextCursor, error } = useAppSelector((s) => s.tickets);
  const [search, setSearch] = useState(filters.q ?? '');
  const staff = user?.role !== 'customer';

  const apply = (change: TicketFilters) => {
    dispatch(setFilters(change));
    void dispatch(loadTickets());
  };

  useEffect(() => {
    void dispatch(loadTickets());
  }, [dispatch]);

  // Search as you type, once typing pauses.
  useEffect(() => {
    if ((filters.q ?? '') === search) return;
    const timer = setTimeout(() => apply({ q: search }), 300);
    return () => clearTimeout(timer);
  });

  return (
    <>
      <View style={styles.toolbar}>
        <Button label={`+ ${t('tickets.new')}`} onPress={onNew} />
      </View>
      <View style={styles.filters}>
        <TextField label={t('tickets.search')} value={search} onChangeText={setSearch} inputMode="search" />
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel="Status">
          <Chip label={t('tickets.all')} selected={!filters.status} onPress={() => apply({ status: undefined })} />
          {STATUSES.map((status) => (
            <Chip
              key={status}
              label={t(`tickets.status.${status}`)}
              selected={filters.status === status}
              onPress={() => apply({ status })}
            />
          ))}
        </View>
        <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('tickets.priority')}>
          <Chip label={t('tickets.all')} selected={!filters.priority} onPress={() => apply({ priority: undefined })} />
          {PRIORITIES.map((priority) => (
            <Chip
              key={priority}
              label={t(`tickets.priorities.${priority}`)}
              selected={filters.priority === priority}
              onPress={() => apply({ priority })}
            />
          ))}
        </View>
        {staff && user ? (
          <View style={styles.chips} accessibilityRole="radiogroup" accessibilityLabel={t('tickets.assignee')}>
            <Chip
              label={t('tickets.all')}
              selected={!filters.assigneeId}
              onPress={() => apply({ assigneeId: undefined })}
            />
            <Chip
              label={t('tickets.assignedToMe')}
              selected={filters.assigneeId === user.id}
              onPress={() => apply({ assigneeId: user.id })}
            />
          </View>
        ) : null}
      </View>
      {error ? (
        <Text accessibilityRole="alert" style={{ color: colors.danger, paddingHorizontal: 16 }}>
          {errorText(t, error)}
        </Text>
      ) : null}
      <FlatList
        data={ids.map((id) => byId[id]!).filter(Boolean)}
        keyExtractor={(ticket) => ticket.id}
        renderItem={({ item }) => (
          <TicketRow ticket={item} selected={item.id === selectedId} onPress={() => onOpen(item.id)} />
        )}
        refreshing={loading}
        onRefresh={() => void dispatch(loadTickets())}
        onEndReached={() => nextCursor && !loading && void dispatch(loadMoreTickets())}
        onEndReachedThreshold={0.5}
        contentContainerStyle={styles.list}
        ListEmptyComponent={
          loading ? null : <Text style={{ color: colors.textMuted, padding: 16 }}>{t('tickets.empty')}</Text>
        }
        ListFooterComponent={
          nextCursor ? (
            <Button
              variant="secondary"
              label={t('tickets.loadMore')}
              onPress={() => void dispatch(loadMoreTickets())}
            />
          ) : null
        }
      />
    </>
  );
}

/** The Tickets place: the queue; on wide screens with room beside it for the ticket it opens. */
export function HomeScreen({ navigation }: NativeStackScreenProps<RootStackParamList, 'Home'>) {
  const { t } = useTranslation();
  const { split } = useLayout();
  const title = useQueueTitle();
  const queue = (
    <TicketQueue
      onOpen={(id) => navigation.navigate('Ticket', { id })}
      onNew={() => navigation.navigate('NewTicket')}
    />
  );
  return (
    <Screen title={title} scroll={false} full={split}>
      {split ? <SplitView listLabel={title} list={queue} detail={<EmptyPane text={t('tickets.pickOne')} />} /> : queue}
    </Screen>
  );
}

const styles = StyleSheet.create({
  toolbar: { flexDirection: 'row', justifyContent: 'flex-end', paddingHorizontal: 16, paddingTop: 12 },
  filters: { paddingHorizontal: 16, paddingTop: 8 },
  chips: { flexDirection: 'row', flexWrap: 'wrap', marginBottom: 4 },
  list: { padding: 16, paddingTop: 4 },
  row: { flexDirection: 'row', alignItems: 'center', borderWidth: 1, borderRadius: 10, padding: 12, marginBottom: 8 },
  priority: { width: 6, alignSelf: 'stretch', borderRadius: 3, marginRight: 12 },
  rowBody: { flex: 1, marginRight: 8 },
  subject: { fontSize: 16, fontWeight: '600', marginBottom: 2 },
});
