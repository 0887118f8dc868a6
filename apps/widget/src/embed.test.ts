import { describe, expect, it } from 'vitest';
import { frameUrl } from './embed';
import { isResizeMessage } from './resize-message';

describe('the loader', () => {
  it('points the frame at the key, with a verified identity in the fragment only', () => {
    const origin = 'https://parley.example';
    expect(frameUrl({ key: 'k/1 x', origin, identity: null })).toBe('https://parley.example/widget-frame/k%2F1%20x');
    expect(frameUrl({ key: 'k1', origin, identity: { userId: '42&uh=x', hash: 'ab'.repeat(32) } })).toBe(
      `https://parley.example/widget-frame/k1#uid=42%26uh%3Dx&uh=${'ab'.repeat(32)}`,
    );
  });

  it('heeds only a resize message of the right shape', () => {
    expect(isResizeMessage({ parley: 'resize', open: true })).toBe(true);
    expect(isResizeMessage({ parley: 'resize', open: 'yes' })).toBe(false);
    expect(isResizeMessage({ type: 'resize', open: true })).toBe(false);
    expect(isResizeMessage(null)).toBe(false);
  });
});
