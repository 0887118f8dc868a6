import { onSignedOut, parley } from '../api/parley';
import { conversationCreated, messageArrived, readArrived } from './conversations';
import { connectionChanged, presenceChanged, typingStarted, typingStopped } from './live';
import { disconnected, liveMessage, messageUpdated, pendingChanged, subscribed } from './messages';
import { isDirectNotificationOf, markNotificationRead, notificationArrived } from './notifications';
import { followSessionInOtherTabs } from '../api/tabs';
import { restoreSession, signedOut } from './session';
import { ticketUpdated } from './tickets';
import type { AppStore } from './index';

/**
 * Feeds the store from the SDK: every realtime frame and outbox change becomes an action.
 * Returns the function that unhooks it all.
 */
export function connectStoreToParley(store: AppStore): () => void {
  const { dispatch } = store;
  const selfId = () => store.getState().session.user?.id ?? '';
  const { realtime, outbox } = parley;
  const offs = [
    realtime.on('status', (status) => {
      dispatch(connectionChanged(status));
      if (status !== 'open') dispatch(disconnected());
    }),
    realtime.on('message', ({ message }) => {
      dispatch(liveMessage(message));
      dispatch(messageArrived({ message, selfId: selfId() }));
      if (message.senderId)
        dispatch(typingStopped({ conversationId: message.conversationId, userId: message.senderId }));
    }),
    realtime.on('message.updated', ({ message }) => void dispatch(messageUpdated(message))),
    realtime.on('subscribed', ({ conversationId, lastSeq }) =>
      dispatch(subscribed({ conversationId, lastSeq, afterSeq: realtime.requestedAfterSeq(conversationId) })),
    ),
    realtime.on('ticket.updated', ({ ticket }) => void dispatch(ticketUpdated(ticket))),
    realtime.on('conversation.created', ({ conversation }) => void dispatch(conversationCreated(conversation))),
    realtime.on('notification', ({ notification }) => {
      dispatch(notificationArrived(notification));
      // A direct message already read here (the chat is open): nothing to tell.
      const { conversationId } = notification.data;
      const read = typeof conversationId === 'string' && store.getState().conversations.byId[conversationId];
      if (read && isDirectNotificationOf(notification, read.id, read.lastReadSeq))
        void dispatch(markNotificationRead(notification.id));
    }),
    realtime.on('presence', ({ userId, status }) => void dispatch(presenceChanged({ userId, status }))),
    realtime.on('typing', ({ conversationId, userId, expiresInMs }) =>
      dispatch(typingStarted({ conversationId, userId, until: Date.now() + expiresInMs })),
    ),
    realtime.on('read', ({ conversationId, userId, seq }) =>
      dispatch(readArrived({ conversationId, userId, seq, selfId: selfId() })),
    ),
    outbox.on('change', (pending) => void dispatch(pendingChanged(pending))),
    onSignedOut(() => dispatch(signedOut())),
    followSessionInOtherTabs(parley.session, {
      signedOut() {
        parley.realtime.close();
        dispatch(signedOut());
      },
      signedIn(_session, previous) {
        // Someone else now in this browser: start clean rather than mix two people's state.
        if (previous) window.location.reload();
        else void dispatch(restoreSession());
      },
    }),
  ];
  return () => offs.forEach((off) => off());
}
