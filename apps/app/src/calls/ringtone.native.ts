import type { Ringtone } from './ringtone-contract';

/** Android takes no calls yet (call-media.native.ts): it rings on the person's web devices. */
export const ringtone: Ringtone = { play: () => undefined, stop: () => undefined };
