import type { Call } from '@parley/protocol';
import { parley } from '../api/parley';
import { callDevice } from '../calls/call-device';
import type { CallSignal } from '../calls/call-mesh';
import { callUpdated, leftElsewhere, loadLiveCalls } from './calls';
import type { AppStore } from './index';

/**
 * Calls from the socket: `call.updated` rings and stops ringing on every device, and tells the
 * device in the call who to connect to; `call.signal` carries the connections' negotiation.
 * Returns the function that unhooks it.
 */
export function connectCalls(store: AppStore): () => void {
  const { dispatch } = store;
  /** The call this device has media for, as it is now: still in it, or out (ended, hung up or joined elsewhere). */
  const follow = (call: Call | undefined, callId: string) => {
    if (call && callDevice.holds(call)) return callDevice.update(call);
    callDevice.end();
    dispatch(leftElsewhere(callId));
  };
  let workspaceId = store.getState().session.user?.workspace.id;
  const offs = [
    parley.realtime.on('call.updated', ({ call }) => {
      dispatch(callUpdated(call));
      if (call.id === callDevice.view().callId) follow(call, call.id);
    }),
    parley.realtime.on('call.signal', ({ callId, fromUserId, payload }) =>
      callDevice.receive(callId, fromUserId, payload as CallSignal),
    ),
    // Connected again (or for the first time): what rings now, and whether this device's call went on meanwhile.
    parley.realtime.on('ready', () => {
      void dispatch(loadLiveCalls()).then((action) => {
        const here = callDevice.view().callId;
        if (!here || !loadLiveCalls.fulfilled.match(action)) return;
        follow(
          action.payload.find((call) => call.id === here),
          here,
        );
        callDevice.recover();
      });
    }),
    // Signed out, or in another workspace: nothing of that call stays on.
    store.subscribe(() => {
      const now = store.getState().session.user?.workspace.id;
      if (now === workspaceId) return;
      workspaceId = now;
      callDevice.end();
    }),
  ];
  return () => offs.forEach((off) => off());
}
