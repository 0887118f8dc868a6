import type { CallMedia } from './call-media-contract';

/** Android has no WebRTC in this build yet (react-native-webrtc is the way): calls are web-only for now. */
export const callMedia: CallMedia = {
  supported: () => false,
  open: () => Promise.reject(new Error('Calls are not available in this app yet')),
  canShareScreen: () => false,
  openScreen: () => Promise.reject(new Error('Screen sharing is not available in this app')),
  devices: () => Promise.resolve([]),
};
