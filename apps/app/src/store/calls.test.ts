import type { Call, CallParticipant } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import reducer, {
  answerCall,
  callUpdated,
  hangUp,
  loadLiveCalls,
  selectCallIn,
  selectElsewhere,
  selectHere,
  selectRinging,
  startCall,
  type CallsState,
} from './calls';

const ME = 'me';
const call = (id: string, participants: [string, CallParticipant['state']][], changes: Partial<Call> = {}): Call => ({
  id,
  conversationId: `c-${id}`,
  kind: 'voice',
  state: 'ringing',
  startedBy: participants[0]![0],
  startedAt: '2026-12-05T10:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  endReason: null,
  participants: participants.map(([userId, state]) => ({ userId, state, joinedAt: null })),
  version: 0,
  ...changes,
});
const seen = (calls: CallsState) => ({ calls, session: { user: { id: ME } } });

describe('calls in the store', () => {
  it('rings for a call to me until I answer, decline, or it ends; never for one I started', () => {
    const toMe = call('1', [
      ['ada', 'joined'],
      [ME, 'ringing'],
    ]);
    const mine = call('2', [
      [ME, 'joined'],
      ['ben', 'ringing'],
    ]);
    let state = reducer(undefined, callUpdated(toMe));
    state = reducer(state, callUpdated(mine));
    expect(selectRinging(seen(state)).map((c) => c.id)).toEqual(['1']);

    // Answered on my other device: it stops ringing here, and shows as a call elsewhere.
    state = reducer(
      state,
      callUpdated(
        call(
          '1',
          [
            ['ada', 'joined'],
            [ME, 'joined'],
          ],
          { state: 'active' },
        ),
      ),
    );
    expect(selectRinging(seen(state))).toEqual([]);
    expect(selectElsewhere(seen(state))?.id).toBe('1');

    state = reducer(
      state,
      callUpdated(
        call(
          '1',
          [
            ['ada', 'left'],
            [ME, 'left'],
          ],
          { state: 'ended' },
        ),
      ),
    );
    // Over: nothing of it shows (call 2, which I started, was never on this device).
    expect(selectElsewhere(seen(state))?.id).toBe('2');
    expect(selectCallIn(seen(state), 'c-1')).toBeUndefined();
  });

  it('an answer the end of the call overtook does not put this device back in it', () => {
    const ringing = call(
      '1',
      [
        ['ada', 'joined'],
        [ME, 'ringing'],
      ],
      { version: 0 },
    );
    let state = reducer(undefined, callUpdated(ringing));
    // Ada hung up just as I answered: the end frame (version 3) came before my answer (version 1).
    state = reducer(
      state,
      callUpdated(
        call(
          '1',
          [
            ['ada', 'left'],
            [ME, 'joined'],
          ],
          { state: 'ended', version: 3 },
        ),
      ),
    );
    const answered = call(
      '1',
      [
        ['ada', 'joined'],
        [ME, 'joined'],
      ],
      { state: 'active', version: 1 },
    );
    state = reducer(state, answerCall.fulfilled(answered, 'answer', ringing));
    expect(state.hereId).toBeNull();
    expect(selectHere(seen(state))).toBeUndefined();
    expect(state.byId['1']?.state).toBe('ended');
  });

  it('the call answered here is the one this device is in, until it ends or I hang up', () => {
    const ringing = call('1', [
      ['ada', 'joined'],
      [ME, 'ringing'],
    ]);
    let state = reducer(undefined, callUpdated(ringing));
    const answered = call(
      '1',
      [
        ['ada', 'joined'],
        [ME, 'joined'],
      ],
      { state: 'active' },
    );
    state = reducer(state, answerCall.fulfilled(answered, 'answer', ringing));
    expect(selectHere(seen(state))?.id).toBe('1');
    expect(selectElsewhere(seen(state))).toBeUndefined();

    // The other side hung up: the call ended, and nothing is "here" any more.
    state = reducer(
      state,
      callUpdated(
        call(
          '1',
          [
            ['ada', 'left'],
            [ME, 'joined'],
          ],
          { state: 'ended' },
        ),
      ),
    );
    expect(selectHere(seen(state))).toBeUndefined();
    expect(state.hereId).toBeNull();

    const started = call('2', [
      [ME, 'joined'],
      ['ben', 'ringing'],
    ]);
    state = reducer(state, startCall.fulfilled(started, 'start', { conversationId: 'c-2', kind: 'voice' }));
    expect(state.hereId).toBe('2');
    // Hanging up lets go at once, before the server answers.
    state = reducer(state, hangUp.pending('hang', '2'));
    expect(state.hereId).toBeNull();
  });

  it('a refused microphone or a full call says why, and the next try clears it', () => {
    let state = reducer(undefined, startCall.rejected(null, 'start', { conversationId: 'c', kind: 'video' }, 'media'));
    expect(state.problem).toBe('media');
    state = reducer(
      state,
      answerCall.pending(
        'answer',
        call('1', [
          ['ada', 'joined'],
          [ME, 'ringing'],
        ]),
      ),
    );
    expect(state.problem).toBeNull();
  });

  it('after a reconnect, the live calls replace what was kept; a call of this device that ended meanwhile is gone', () => {
    let state = reducer(
      undefined,
      startCall.fulfilled(
        call('1', [
          [ME, 'joined'],
          ['ben', 'ringing'],
        ]),
        's',
        {
          conversationId: 'c-1',
          kind: 'voice',
        },
      ),
    );
    const other = call('2', [
      ['cy', 'joined'],
      [ME, 'ringing'],
    ]);
    state = reducer(state, loadLiveCalls.fulfilled([other], 'live'));
    expect(Object.keys(state.byId)).toEqual(['2']);
    expect(state.hereId).toBeNull();
  });
});
