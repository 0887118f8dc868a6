import { useEffect } from 'react';
import { AppState } from 'react-native';
import { parley } from '../api/parley';

/** The conversation on screen in front (one at a time), and whether the app itself is in front. */
let shown: string | null = null;
let inFront = AppState.currentState === 'active';

/**
 * The server hears what the user looks at: only a conversation on the focused screen of a
 * visible app (on the web, a visible tab) counts, so messages there make no notifications.
 */
const tell = () => parley.realtime.view(inFront ? shown : null);

AppState.addEventListener('change', (state) => {
  inFront = state === 'active';
  tell();
});

/** Marks `conversationId` as the one the user looks at while `focused`. */
export function useViewing(conversationId: string, focused: boolean): void {
  useEffect(() => {
    if (!focused) return;
    shown = conversationId;
    tell();
    return () => {
      // Another screen may have claimed it already (its focus can come before this blur).
      if (shown !== conversationId) return;
      shown = null;
      tell();
    };
  }, [conversationId, focused]);
}
