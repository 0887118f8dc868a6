import { describe, expect, it } from 'vitest';
import { qualityOf, readStats } from './call-quality';

describe("a call tile's connection indicator", () => {
  const reading = { connected: true, roundTripSeconds: 0.05, packetsLost: 0, packetsReceived: 500 };

  it('says connecting until the connection is up, then good on a quick clean link', () => {
    expect(qualityOf({ ...reading, connected: false })).toBe('connecting');
    expect(qualityOf(reading)).toBe('good');
  });

  it('turns fair, then poor, as the round trip grows or packets drop', () => {
    expect(qualityOf({ ...reading, roundTripSeconds: 0.4 })).toBe('fair');
    expect(qualityOf({ ...reading, packetsLost: 25, packetsReceived: 475 })).toBe('fair');
    expect(qualityOf({ ...reading, roundTripSeconds: 0.9 })).toBe('poor');
    expect(qualityOf({ ...reading, packetsLost: 100, packetsReceived: 400 })).toBe('poor');
  });

  it("reads every inbound track's totals and the chosen pair's round trip from a stats report", () => {
    const report = [
      { type: 'inbound-rtp', kind: 'audio', packetsLost: 2, packetsReceived: 98, bytesReceived: 9_000 },
      { type: 'inbound-rtp', kind: 'video', packetsLost: 1, packetsReceived: 199, bytesReceived: 90_000 },
      { type: 'candidate-pair', nominated: false, state: 'failed', currentRoundTripTime: 3 },
      { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.12 },
      { type: 'outbound-rtp', packetsSent: 1_000, bytesSent: 1e6 },
    ];
    expect(readStats(report)).toEqual({
      packetsLost: 3,
      packetsReceived: 297,
      bytesReceived: 99_000,
      roundTripSeconds: 0.12,
    });
  });
});
