import { createElement, useEffect, useRef } from 'react';

export interface CallVideoProps {
  stream: MediaStream;
  /** Your own: silent (no echo of yourself). */
  muted?: boolean;
  /** Your camera, as in a mirror. */
  mirrored?: boolean;
  /** Said to screen readers: whose picture this is. */
  label: string;
  /** Draw the picture; false plays the sound only (no video, or the camera off). */
  visible: boolean;
}

/** A person's sound and picture in a call: a plain `<video>` (react-native-web has none). */
export function CallVideo({ stream, muted, mirrored, label, visible }: CallVideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return createElement('video', {
    ref,
    autoPlay: true,
    playsInline: true,
    muted: !!muted,
    'aria-label': label,
    'data-testid': muted ? 'call-own-video' : 'call-video',
    style: {
      width: '100%',
      height: '100%',
      objectFit: 'cover',
      borderRadius: 8,
      background: '#111',
      display: visible ? 'block' : 'none',
      transform: mirrored ? 'scaleX(-1)' : undefined,
    },
  });
}
