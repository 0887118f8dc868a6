import type { CallKind } from '@parley/protocol';

/** What a platform gives a call: the microphone, the camera, the screen, and the devices to switch to. */
export interface CallMedia {
  /** Whether this platform can take part in calls (web: WebRTC; Android: not yet). */
  supported(): boolean;
  /** The microphone, and the camera for a video call (`deviceIds`: the ones chosen). */
  open(kind: CallKind, deviceIds?: { audio?: string; video?: string }): Promise<MediaStream>;
  /** Whether this browser can share a screen (phones' browsers cannot). */
  canShareScreen(): boolean;
  /** A screen, a window or a tab, as the person picks it. */
  openScreen(): Promise<MediaStreamTrack>;
  /** The microphones and cameras there are, in the browser's order. */
  devices(): Promise<{ kind: 'audioinput' | 'videoinput'; deviceId: string; label: string }[]>;
}
