/**
 * The one message the frame sends its host page: the chat opened or closed, so the loader makes
 * the iframe big or small. It carries nothing secret, which is why the frame may post it to any
 * origin (it cannot know the host page's origin for sure: `document.referrer` may be cut short).
 */
export interface ResizeMessage {
  parley: 'resize';
  open: boolean;
}

export function isResizeMessage(data: unknown): data is ResizeMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as ResizeMessage).parley === 'resize' &&
    typeof (data as ResizeMessage).open === 'boolean'
  );
}
