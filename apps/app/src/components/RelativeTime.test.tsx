import { act, cleanup, render, screen } from '@testing-library/react';
import { Text } from 'react-native';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { TICK_MS } from '../time/ticker';
import { RelativeTime } from './RelativeTime';

const NOW = Date.parse('2026-12-02T15:05:00Z');

describe('a time on screen', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date', 'setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    cleanup();
    vi.useRealTimers();
    await i18n.changeLanguage('en');
  });

  it('says how long ago, with the full date as its hover title and name, and keeps itself current', () => {
    render(
      <Text>
        <RelativeTime at={new Date(NOW - 10_000).toISOString()} />
      </Text>,
    );
    const time = screen.getByText('just now');
    expect(time.tagName).toBe('TIME');
    expect(time.getAttribute('title')).toMatch(/^Wednesday, December 2, 2026 at \d+:04 PM$/);
    expect(time.getAttribute('aria-label')).toBe(time.getAttribute('title'));
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByText('1 min. ago')).toBe(time);
  });

  it("speaks the reader's language", async () => {
    await act(() => i18n.changeLanguage('de'));
    render(
      <Text>
        <RelativeTime at={new Date(NOW - 5_000).toISOString()} />
      </Text>,
    );
    expect(screen.getByText('gerade eben').getAttribute('title')).toMatch(/^Mittwoch, 2\. Dezember 2026 um \d+:04$/);
  });

  it('shares one ticker among all the times on screen, and stops it when none is left', () => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const stops = vi.spyOn(globalThis, 'clearInterval');
    const at = Array.from({ length: 50 }, (_, i) => new Date(NOW - i * 60_000).toISOString());
    const { unmount } = render(
      <Text>
        {at.map((iso) => (
          <RelativeTime key={iso} at={iso} />
        ))}
      </Text>,
    );
    act(() => vi.advanceTimersByTime(TICK_MS * 3));
    expect(intervals.mock.calls.filter(([, ms]) => ms === TICK_MS)).toHaveLength(1);
    unmount();
    expect(stops).toHaveBeenCalledTimes(1);
  });
});
