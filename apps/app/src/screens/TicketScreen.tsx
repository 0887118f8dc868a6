import type { NativeStackScreenProps } from '@react-navigation/native-stack';
import { useCallback, useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useWindowDimensions } from 'react-native';
import { Screen } from '../components/Screen';
import { SplitView } from '../components/SplitView';
import { TicketView } from '../components/TicketView';
import { useLayout } from '../navigation/layout';
import { seqParam } from '../navigation/linking';
import type { RootStackParamList } from '../navigation/types';
import { useAppSelector } from '../store';
import { TicketQueue, useQueueTitle } from './HomeScreen';

/** At least this wide, the details sit beside the thread; narrower, they fold open above it. */
const DETAILS_BESIDE_MIN = 900;

/**
 * A ticket: its header, thread and details. On wide screens the queue stays beside it, and
 * choosing another ticket there opens it here (a new URL, so back and reload keep working).
 */
export function TicketScreen({ route, navigation }: NativeStackScreenProps<RootStackParamList, 'Ticket'>) {
  const { id } = route.params;
  const foundSeq = seqParam(route.params.seq);
  const { t } = useTranslation();
  const { width } = useWindowDimensions();
  const { split } = useLayout();
  const subject = useAppSelector((s) => s.tickets.byId[id]?.subject);
  const queueTitle = useQueueTitle();

  useLayoutEffect(() => {
    if (subject) navigation.setOptions({ title: subject });
  }, [navigation, subject]);

  const openTicket = useCallback((next: string) => navigation.push('Ticket', { id: next }), [navigation]);
  const movedTo = useCallback((next: string) => navigation.replace('Ticket', { id: next }), [navigation]);
  const ticket = (
    <TicketView
      id={id}
      columns={width >= DETAILS_BESIDE_MIN}
      subjectHeading={split}
      onOpenTicket={openTicket}
      onMovedTo={movedTo}
      foundSeq={foundSeq}
    />
  );

  if (split) {
    return (
      <Screen title={queueTitle} scroll={false} full>
        <SplitView
          listLabel={queueTitle}
          list={
            <TicketQueue
              selectedId={id}
              onOpen={(next) => next !== id && openTicket(next)}
              onNew={() => navigation.navigate('NewTicket')}
            />
          }
          detail={ticket}
        />
      </Screen>
    );
  }
  return (
    <Screen title={subject ?? t('tickets.title')} scroll={false}>
      {ticket}
    </Screen>
  );
}
