export interface CallVideoProps {
  stream: MediaStream;
  muted?: boolean;
  mirrored?: boolean;
  label: string;
  visible: boolean;
}

/** Android takes no calls yet (see calls/call-media.native.ts): nothing to draw. */
export function CallVideo(_props: CallVideoProps) {
  return null;
}
