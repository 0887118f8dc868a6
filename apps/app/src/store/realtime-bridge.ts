import { onSignedOut, parley } from '../api/parley';
import { connectCalls } from './call-bridge';
import { forgetOfflineData } from '../api/offline';
import {
  conversationCreated,
  conversationLabelsChanged,
  conversationMuted,
  conversationRemoved,
  conversationUpdated,
  messageArrived,
  readArrived,
} from './conversations';
import { connectionChanged, presenceChanged, typingStarted, typingStopped } from './live';
import { disconnected, liveMessage, messageUpdated, pendingChanged, subscribed } from './messages';
import { notificationArrived, notificationsRead } from './notifications';
import { pinLineArrived } from './pins';
import { savedChangedLive } from './saved-messages';
import { followSessionInOtherTabs } from '../api/tabs';
import { refreshUser, restoreSession, signedOut } from './session';
import { labelDeleted, labelSaved } from './labels';
import { ticketChangedLive, ticketLabelsChangedLive } from './tickets';
import type { AppStore } from './index';
import { keepWorkspacesFresh } from './workspace-refresh';
import { workspaceUpdated } from './workspaces';

/**
 * Feeds the store from the SDK: every realtime frame and outbox change becomes an action.
 * Returns the function that unhooks it all.
 */
export function connectStoreToParley(store: AppStore): () => void {
  const { dispatch } = store;
  const selfId = () => store.getState().session.user?.id ?? '';
  const selfUsername = () => store.getState().session.user?.username ?? '';
  const { realtime, outbox } = parley;
  const workspaces = keepWorkspacesFresh(store);
  const offs = [
    workspaces.stop,
    connectCalls(store),
    realtime.on('status', (status) => {
      dispatch(connectionChanged(status));
      if (status !== 'open') dispatch(disconnected());
    }),
    // A new socket after a 4401 may mean new rights: read them again (see refreshUser).
    realtime.on('ready', () => void dispatch(refreshUser())),
    realtime.on('message', ({ message }) => {
      dispatch(liveMessage(message));
      dispatch(pinLineArrived(message));
      dispatch(messageArrived({ message, selfId: selfId(), selfUsername: selfUsername() }));
      if (message.senderId)
        dispatch(typingStopped({ conversationId: message.conversationId, userId: message.senderId }));
    }),
    realtime.on('message.updated', ({ message }) => void dispatch(messageUpdated(message))),
    realtime.on('message.saved', ({ messageId, saved }) => void dispatch(savedChangedLive({ messageId, saved }))),
    realtime.on('subscribed', ({ conversationId, lastSeq }) =>
      dispatch(subscribed({ conversationId, lastSeq, afterSeq: realtime.requestedAfterSeq(conversationId) })),
    ),
    realtime.on('ticket.updated', ({ ticket }) => void dispatch(ticketChangedLive(ticket))),
    realtime.on(
      'ticket.labels',
      ({ ticketId, labels }) => void dispatch(ticketLabelsChangedLive({ ticketId, labels })),
    ),
    realtime.on(
      'conversation.labels',
      ({ conversationId, labels }) => void dispatch(conversationLabelsChanged({ conversationId, labels })),
    ),
    realtime.on('label.updated', ({ label }) => void dispatch(labelSaved(label))),
    realtime.on('label.deleted', ({ labelId }) => void dispatch(labelDeleted(labelId))),
    realtime.on('conversation.created', ({ conversation }) => void dispatch(conversationCreated(conversation))),
    realtime.on('conversation.updated', ({ conversation }) => void dispatch(conversationUpdated(conversation))),
    // After the line saying so, the last frame of that conversation this user gets.
    realtime.on('conversation.removed', ({ conversationId }) => void dispatch(conversationRemoved(conversationId))),
    realtime.on('notification', ({ notification }) => {
      dispatch(notificationArrived(notification));
      workspaces.poke();
    }),
    realtime.on('workspace.updated', ({ workspace }) => void dispatch(workspaceUpdated(workspace))),
    // Read on any device, by opening the conversation or in the list: the server says which.
    realtime.on('notifications.read', ({ ids, all, readAt }) =>
      dispatch(notificationsRead({ ids, readAt, ...(all && { all }) })),
    ),
    realtime.on('presence', ({ userId, status }) => void dispatch(presenceChanged({ userId, status }))),
    realtime.on('typing', ({ conversationId, userId, expiresInMs }) =>
      dispatch(typingStarted({ conversationId, userId, until: Date.now() + expiresInMs })),
    ),
    realtime.on('read', ({ conversationId, userId, seq, markedUnread }) =>
      dispatch(readArrived({ conversationId, userId, seq, selfId: selfId(), markedUnread })),
    ),
    realtime.on('conversation.muted', ({ conversationId, muted, notify }) =>
      dispatch(conversationMuted({ conversationId, muted, notify })),
    ),
    outbox.on('change', (pending) => void dispatch(pendingChanged(pending))),
    onSignedOut(() => {
      dispatch(signedOut());
      void forgetOfflineData();
    }),
    followSessionInOtherTabs(parley.session, {
      signedOut() {
        parley.realtime.close();
        dispatch(signedOut());
      },
      signedIn(_session, previous) {
        // Someone else now in this browser, or another workspace: start clean rather than mix states.
        if (previous) window.location.reload();
        else void dispatch(restoreSession());
      },
    }),
  ];
  return () => offs.forEach((off) => off());
}
