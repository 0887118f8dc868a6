import { ParleyError } from '@parley/client';
import type { Call, CallKind } from '@parley/protocol';
import { createAsyncThunk, createSelector, createSlice, isAnyOf, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { toFormError, type FormError } from '../api/errors';
import { callDevice } from '../calls/call-device';
import type { CallSignal } from '../calls/call-mesh';

/** Why a call could not start or be answered: the microphone or camera refused, or the server's code. */
export type CallProblem = 'media' | FormError['code'];

export interface CallsState {
  /** Calls that ring for the user or have them in, as the server last said (ended ones too, marked so). */
  byId: Record<string, Call>;
  /** The call this device is in (started or answered here): its media runs here. */
  hereId: string | null;
  /** Starting or answering a call here: it is not "on another device" meanwhile. */
  connecting: boolean;
  problem: CallProblem | null;
}

const initialState: CallsState = { byId: {}, hereId: null, connecting: false, problem: null };

type State = { calls: CallsState; session: { user: { id: string } | null } };

/** Of two copies of a call (a REST answer, a frame), the newer. */
const newer = (a: Call, b: Call | undefined) => (b && b.version > a.version ? b : a);

/**
 * Hooks this device's media to the call: signals go out through the socket. Someone may have
 * joined since the REST answer (their frame came meanwhile): the newest copy says who.
 */
async function beginHere(call: Call, getState: () => unknown): Promise<void> {
  const { iceServers } = await parley.calls.iceServers();
  const state = getState() as State;
  const latest = newer(call, state.calls.byId[call.id]);
  // It ended while this device was getting ready (the others hung up): nothing to connect to.
  if (latest.state === 'ended') return callDevice.end();
  callDevice.begin(latest, call, state.session.user?.id ?? '', iceServers as RTCIceServer[], (toUserId, payload) =>
    parley.realtime.send({ type: 'call.signal', callId: call.id, toUserId, payload: payload satisfies CallSignal }),
  );
}

/** What went wrong, as the call bar says it; the microphone and camera are let go. */
function problemOf(error: unknown): CallProblem {
  callDevice.end();
  if (error instanceof ParleyError) return toFormError(error).code;
  // getUserMedia's refusals (NotAllowedError, NotFoundError, NotReadableError) are DOMExceptions.
  return error instanceof Error && error.name !== 'TypeError' ? 'media' : 'internal';
}

/**
 * Rings the others of a conversation. A call already going on there is joined instead (the
 * server answers `409` with its id), as a person clicking "Call" then expects.
 */
export const startCall = createAsyncThunk<
  Call,
  { conversationId: string; kind: CallKind },
  { rejectValue: CallProblem }
>('calls/start', async ({ conversationId, kind }, { getState, rejectWithValue }) => {
  try {
    await callDevice.prepare(kind);
    let call: Call;
    try {
      call = await parley.calls.start(conversationId, kind);
    } catch (error) {
      const live = error instanceof ParleyError && error.code === 'conflict' ? error.details?.callId : undefined;
      if (typeof live !== 'string') throw error;
      call = await parley.calls.join(live);
    }
    await beginHere(call, getState);
    return call;
  } catch (error) {
    return rejectWithValue(problemOf(error));
  }
});

/** Answers on this device: the others stop ringing. */
export const answerCall = createAsyncThunk<Call, Call, { rejectValue: CallProblem }>(
  'calls/answer',
  async (ringing, { getState, rejectWithValue }) => {
    try {
      await callDevice.prepare(ringing.kind);
      const call = await parley.calls.join(ringing.id);
      await beginHere(call, getState);
      return call;
    } catch (error) {
      return rejectWithValue(problemOf(error));
    }
  },
);

export const declineCall = createAsyncThunk('calls/decline', (id: string) => parley.calls.decline(id));

/** Hangs up at once here (media off), then tells the server. */
export const hangUp = createAsyncThunk('calls/hangUp', async (id: string) => {
  callDevice.end();
  return parley.calls.leave(id);
});

/** After sign-in or a reconnect: what rings, and the call this device was in if it goes on. */
export const loadLiveCalls = createAsyncThunk('calls/live', async () => (await parley.calls.live()).items);

const live = (call: Call) => call.state !== 'ended';

/**
 * Keeps the newer copy of a call: an older one (a REST answer overtaken by a frame) changes
 * nothing. An ended call stays, ended, so that a late copy cannot bring it back; this device's
 * part in it is over.
 */
function keep(state: CallsState, call: Call) {
  const kept = state.byId[call.id];
  if (kept && kept.version > call.version) return;
  state.byId[call.id] = call;
  if (state.hereId === call.id && !live(call)) state.hereId = null;
}

const calls = createSlice({
  name: 'calls',
  initialState,
  reducers: {
    callUpdated(state, { payload }: PayloadAction<Call>) {
      keep(state, payload);
    },
    /** The person left on another device (or was dropped): this one is out of it too. */
    leftElsewhere(state, { payload }: PayloadAction<string>) {
      if (state.hereId === payload) state.hereId = null;
    },
    problemSeen(state) {
      state.problem = null;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(hangUp.pending, (state, { meta }) => {
        if (state.hereId === meta.arg) state.hereId = null;
      })
      .addCase(hangUp.fulfilled, (state, { payload }) => keep(state, payload))
      .addCase(declineCall.fulfilled, (state, { payload }) => keep(state, payload))
      .addCase(loadLiveCalls.fulfilled, (state, { payload }) => {
        state.byId = Object.fromEntries(payload.map((call) => [call.id, call]));
        if (state.hereId && !state.byId[state.hereId]) state.hereId = null;
      })
      .addMatcher(isAnyOf(startCall.pending, answerCall.pending), (state) => {
        state.problem = null;
        state.connecting = true;
      })
      .addMatcher(isAnyOf(startCall.fulfilled, answerCall.fulfilled), (state, { payload }) => {
        state.connecting = false;
        keep(state, payload);
        if (live(state.byId[payload.id]!)) state.hereId = payload.id;
      })
      .addMatcher(isAnyOf(startCall.rejected, answerCall.rejected), (state, { payload }) => {
        state.connecting = false;
        state.problem = payload ?? 'internal';
      });
  },
});

export const { callUpdated, leftElsewhere, problemSeen } = calls.actions;
export default calls.reducer;

const me = (call: Call, selfId: string | undefined) => call.participants.find((p) => p.userId === selfId);

/** Calls ringing for the user now (not one they started). */
export const selectRinging = createSelector(
  [(state: State) => state.calls.byId, (state: State) => state.session.user?.id],
  (byId, selfId): Call[] =>
    Object.values(byId).filter(
      (call) => live(call) && call.startedBy !== selfId && me(call, selfId)?.state === 'ringing',
    ),
);

/** A call the user is in on another device (or was, before this page was reloaded): rejoin it here? */
export const selectElsewhere = (state: State): Call | undefined =>
  state.calls.connecting
    ? undefined
    : Object.values(state.calls.byId).find(
        (call) => live(call) && call.id !== state.calls.hereId && me(call, state.session.user?.id)?.state === 'joined',
      );

/** The call going on in a conversation, if any (the user rung for it, or in it). */
export const selectCallIn = (state: State, conversationId: string): Call | undefined =>
  Object.values(state.calls.byId).find((call) => live(call) && call.conversationId === conversationId);

export const selectHere = (state: State): Call | undefined =>
  state.calls.hereId ? state.calls.byId[state.calls.hereId] : undefined;
