import type { CallMedia } from './call-media-contract';

export const callMedia: CallMedia = {
  supported: () =>
    typeof RTCPeerConnection !== 'undefined' && typeof navigator !== 'undefined' && !!navigator.mediaDevices,
  open: (kind, deviceIds = {}) =>
    navigator.mediaDevices.getUserMedia({
      audio: deviceIds.audio ? { deviceId: { exact: deviceIds.audio } } : true,
      video: kind === 'video' ? (deviceIds.video ? { deviceId: { exact: deviceIds.video } } : true) : false,
    }),
  canShareScreen: () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia,
  openScreen: async () => {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    return stream.getVideoTracks()[0]!;
  },
  devices: async () =>
    (await navigator.mediaDevices.enumerateDevices())
      .filter(
        (d): d is MediaDeviceInfo & { kind: 'audioinput' | 'videoinput' } =>
          d.kind === 'audioinput' || d.kind === 'videoinput',
      )
      .map(({ kind, deviceId, label }) => ({ kind, deviceId, label })),
};
