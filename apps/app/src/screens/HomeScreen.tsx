import { BulkBar, BulkRow, useBulkSelection } from '../components/BulkActions';
import { can } from '../api/permissions';
import type { TicketView } from '@parley/protocol';
import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FlatList, StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { FilterGroup, type FilterOption } from '../components/FilterGroup';
import { SavedViewsBar } from '../components/SavedViewsBar';
import { LabelFilter } from '../components/LabelFilter';
import { MoreFilters } from '../components/MoreFilters';
import { Screen } from '../components/Screen';
import { EmptyPane, SplitView } from '../components/SplitView';
import { TextField } from '../components/TextField';
import { TicketQueueRow } from '../components/TicketQueueRow';
import { errorText } from '../i18n/error-text';
import { useLayout } from '../navigation/layout';
import type { RootStackParamList } from '../navigation/types';
import { useAppDispatch, useAppSelector } from '../store';
import {
  loadDefaultView,
  loadMoreTickets,
  loadTicketCounts,
  loadTickets,
  setFilters,
  setSort,
  setSortField,
  type QueueSort,
  type StoredTicket,
  type TicketFilters,
} from '../store/tickets';
import { useTheme } from '../theme/theme';

const STATUSES = ['open', 'in_progress', 'pending', 'snoozed', 'closed'] as const;
const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
const SORTS: QueueSort[] = ['priority', 'updated', 'created'];
const SLA_STATES = ['breached', 'at_risk', 'ok', 'met'] as const;
const VIEWS: TicketView[] = ['unassigned', 'mine', 'my_teams', 'all'];

/** Every listed thread followed live, so a reply moves its row's preview and unread count. */
function useLiveRows(tickets: StoredTicket[]) {
  useEffect(() => {
    for (const ticket of tickets) {
      if (ticket.lastSeq !== undefined && parley.realtime.lastSeq(ticket.conversationId) === null)
        parley.realtime.subscribe(ticket.conversationId, ticket.lastSeq);
    }
  }, [tickets]);
}

/** "Queue" for staff, "My tickets" for customers. */
export function useQueueTitle(): string {
  const { t } = useTranslation();
  const staff = useAppSelector((s) => can(s.session.user, 'tickets.work'));
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
  const { ids, byId, filters, sort, sortField, counts, loading, nextCursor, error, viewIn } = useAppSelector(
    (s) => s.tickets,
  );
  const [search, setSearch] = useState(filters.q ?? '');
  const staff = can(user, 'tickets.work');
  const tickets = ids.map((id) => byId[id]).filter((ticket): ticket is StoredTicket => !!ticket);
  useLiveRows(tickets);
  const bulk = useBulkSelection(ids);

  const reload = () => {
    void dispatch(loadTickets());
    void dispatch(loadTicketCounts());
  };
  const apply = (change: TicketFilters) => {
    dispatch(setFilters(change));
    reload();
  };

  // Again in another workspace (the switch emptied the list).
  const workspaceId = user?.workspace?.id;
  useEffect(() => {
    // Staff start in the queue the server suggests, once per workspace; then where they left it.
    if (staff && workspaceId && viewIn !== workspaceId) void dispatch(loadDefaultView(workspaceId));
    else reload();
  }, [dispatch, workspaceId]);
  const views = VIEWS.filter((v) => v !== 'all' || can(user, 'tickets.all'));

  // Opening a saved view brings its search text.
  useEffect(() => setSearch(filters.q ?? ''), [filters.viewId]);
  // Search as you type, once typing pauses.
  useEffect(() => {
    if ((filters.q ?? '') === search) return;
    const timer = setTimeout(() => apply({ q: search }), 300);
    return () => clearTimeout(timer);
  });

  const countLabel = (label: string, count: number) => t('tickets.withCount', { label, count });
  const option = <V,>(value: V, label: string, count: number | undefined): FilterOption<V> => ({ value, label, count });
  const all = (group: 'status' | 'priority' | 'assignee') => option(undefined, t('tickets.all'), counts?.[group].all);

  return (
    <>
      <View style={styles.toolbar}>
        <Button label={`+ ${t('tickets.new')}`} onPress={onNew} />
      </View>
      {staff ? <BulkBar selection={bulk} selfId={user?.id} onDone={reload} /> : null}
      <FlatList
        data={tickets}
        keyExtractor={(ticket) => ticket.id}
        renderItem={({ item }) => (
          <BulkRow id={item.id} subject={item.subject} selection={staff ? bulk : null}>
            <TicketQueueRow
              ticket={item}
              selfId={user?.id}
              selected={item.id === selectedId}
              onPress={() => onOpen(item.id)}
            />
          </BulkRow>
        )}
        refreshing={loading}
        onRefresh={reload}
        onEndReached={() => nextCursor && !loading && void dispatch(loadMoreTickets())}
        onEndReachedThreshold={0.5}
        contentContainerStyle={styles.list}
        // The filters scroll away with the list: on a short screen the rows keep the room.
        ListHeaderComponent={
          <>
            <View style={styles.filters}>
              {staff ? (
                <FilterGroup
                  label={t('tickets.viewLabel')}
                  options={views.map((v) => option(v, t(`tickets.views.${v}`), counts?.view?.[v] ?? undefined))}
                  selected={filters.view}
                  onSelect={(view) => apply({ view })}
                  countLabel={countLabel}
                />
              ) : null}
              {staff ? <SavedViewsBar /> : null}
              <TextField label={t('tickets.search')} value={search} onChangeText={setSearch} inputMode="search" />
              <FilterGroup
                label={t('tickets.statusLabel')}
                options={[
                  all('status'),
                  ...STATUSES.map((s) => option(s, t(`tickets.status.${s}`), counts?.status[s])),
                ]}
                selected={filters.status}
                onSelect={(status) => apply({ status })}
                countLabel={countLabel}
              />
              <FilterGroup
                label={t('tickets.priority')}
                options={[
                  all('priority'),
                  ...PRIORITIES.map((p) => option(p, t(`tickets.priorities.${p}`), counts?.priority[p])),
                ]}
                selected={filters.priority}
                onSelect={(priority) => apply({ priority })}
                countLabel={countLabel}
              />
              {staff && user ? (
                <FilterGroup
                  label={t('tickets.assignee')}
                  options={[
                    all('assignee'),
                    option(user.id, t('tickets.assignedToMe'), counts?.assignee.me),
                    option('none', t('tickets.unassigned'), counts?.assignee.unassigned),
                  ]}
                  selected={filters.assigneeId}
                  onSelect={(assigneeId) => apply({ assigneeId })}
                  countLabel={countLabel}
                />
              ) : null}
              {staff ? (
                <LabelFilter
                  selected={filters.labelIds ?? []}
                  counts={counts?.label}
                  onSelect={(labelIds) => apply({ labelIds })}
                />
              ) : null}
              {staff ? (
                <FilterGroup
                  label={t('tickets.slaLabel')}
                  options={[
                    option(undefined, t('tickets.slaAny'), undefined),
                    ...SLA_STATES.map((s) => option(s, t(`sla.state.${s}`), undefined)),
                  ]}
                  selected={filters.sla}
                  onSelect={(sla) => apply({ sla })}
                  countLabel={countLabel}
                />
              ) : null}
              <FilterGroup
                label={t('tickets.sortLabel')}
                options={SORTS.map((s) => option(s, t(`tickets.sort.${s}`), undefined))}
                selected={sort}
                onSelect={(s) => {
                  dispatch(setSort(s));
                  void dispatch(loadTickets());
                }}
                countLabel={countLabel}
              />
              {staff ? (
                <MoreFilters
                  filters={filters}
                  sortField={sortField}
                  onFilters={apply}
                  onSortField={(field) => {
                    dispatch(setSortField(field));
                    void dispatch(loadTickets());
                  }}
                />
              ) : null}
            </View>
            {error ? (
              <Text accessibilityRole="alert" style={{ color: colors.danger }}>
                {errorText(t, error)}
              </Text>
            ) : null}
          </>
        }
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
  filters: { paddingTop: 4 },
  list: { padding: 16, paddingTop: 4 },
});
