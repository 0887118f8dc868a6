/** How a connection to one person in a call is doing, for the indicator on their tile. */
export type CallQuality = 'connecting' | 'good' | 'fair' | 'poor';

/** What `getStats()` says of one connection, between two readings. */
export interface LinkReading {
  connected: boolean;
  /** The selected candidate pair's round trip, in seconds (undefined: not measured yet). */
  roundTripSeconds: number | undefined;
  /** Inbound RTP packets lost and received since the previous reading, over every track. */
  packetsLost: number;
  packetsReceived: number;
}

/**
 * Good: a conversation feels live (under 300 ms and 2 % lost); fair: noticeable (under 600 ms and
 * 8 %); poor: people talk over each other or words drop.
 */
export function qualityOf(reading: LinkReading): CallQuality {
  if (!reading.connected) return 'connecting';
  const total = reading.packetsLost + reading.packetsReceived;
  const loss = total > 0 ? reading.packetsLost / total : 0;
  const rtt = reading.roundTripSeconds ?? 0;
  if (rtt < 0.3 && loss < 0.02) return 'good';
  if (rtt < 0.6 && loss < 0.08) return 'fair';
  return 'poor';
}

/** One connection's totals so far, to subtract the previous reading from. */
export interface StatsTotals {
  packetsLost: number;
  packetsReceived: number;
  bytesReceived: number;
}

/** The totals and round trip in a `getStats()` report (plain objects, as the browser gives them). */
export function readStats(report: Iterable<Record<string, unknown>>): StatsTotals & { roundTripSeconds?: number } {
  const totals = {
    packetsLost: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    roundTripSeconds: undefined as number | undefined,
  };
  for (const entry of report) {
    if (entry.type === 'inbound-rtp') {
      totals.packetsLost += Number(entry.packetsLost ?? 0);
      totals.packetsReceived += Number(entry.packetsReceived ?? 0);
      totals.bytesReceived += Number(entry.bytesReceived ?? 0);
    } else if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
      if (typeof entry.currentRoundTripTime === 'number') totals.roundTripSeconds = entry.currentRoundTripTime;
    }
  }
  return totals;
}
