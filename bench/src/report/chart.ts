import type { Figure } from '../scenarios/common';

const W = 760;
const H = 420;
const PAD = { left: 64, right: 190, top: 36, bottom: 52 };
const COLORS: Record<string, string[]> = {
  parley: ['#4338ca', '#7c3aed', '#0e7490'],
  peer: ['#c2410c', '#b45309', '#be123c'],
  ceiling: ['#6b7280'],
};
const X_TICKS: Array<[number, string]> = [
  [0, '0%'],
  [1, '90%'],
  [2, '99%'],
  [3, '99.9%'],
  [4, '99.99%'],
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Send→deliver latency by percentile for the room scenario at its fixed rate, every system and
 * database as one line, in the usual HdrHistogram layout: percentiles spread by their nines
 * along x, latency on a log scale along y. Undefined when the run had no such figures.
 */
export function latencyChart(figures: Figure[]): string | undefined {
  const series = figures.filter((f) => f.scenario === 'room' && f.phase !== 'max rate' && f.curve?.length);
  if (series.length === 0) return undefined;
  const all = series.flatMap((f) => f.curve!.map(([, ms]) => Math.max(ms, 0.01)));
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const x = (percentile: number) =>
    PAD.left + (Math.min(4, Math.log10(100 / Math.max(100 - percentile, 0.01))) / 4) * (W - PAD.left - PAD.right);
  const y = (ms: number) =>
    H -
    PAD.bottom -
    ((Math.log10(Math.max(ms, yMin)) - Math.log10(yMin)) / Math.log10(yMax / yMin)) * (H - PAD.top - PAD.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="20" font-size="14" font-weight="600">Send→deliver latency by percentile: ${esc(series[0]!.phase)}, ${series[0]!.clients} subscribers</text>`,
  ];
  for (const [nines, label] of X_TICKS) {
    const px = PAD.left + (nines / 4) * (W - PAD.left - PAD.right);
    out.push(`<line x1="${px}" y1="${PAD.top}" x2="${px}" y2="${H - PAD.bottom}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${px}" y="${H - PAD.bottom + 18}" text-anchor="middle">${label}</text>`);
  }
  for (let v = yMin; v <= yMax; v *= 10) {
    const py = y(v);
    out.push(`<line x1="${PAD.left}" y1="${py}" x2="${W - PAD.right}" y2="${py}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${PAD.left - 8}" y="${py + 4}" text-anchor="end">${v >= 1 ? v : v.toFixed(2)} ms</text>`);
  }
  out.push(`<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 12}" text-anchor="middle">percentile</text>`);
  const used: Record<string, number> = {};
  series.forEach((f, i) => {
    const palette = COLORS[f.system]!;
    const color = palette[(used[f.system] = (used[f.system] ?? -1) + 1) % palette.length]!;
    const dash =
      f.system === 'peer' ? ' stroke-dasharray="6 4"' : f.system === 'ceiling' ? ' stroke-dasharray="2 3"' : '';
    const points = f.curve!.map(([p, ms]) => `${x(p).toFixed(1)},${y(ms).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${points}"/>`);
    const ly = PAD.top + 10 + i * 20;
    out.push(
      `<line x1="${W - PAD.right + 16}" y1="${ly}" x2="${W - PAD.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${W - PAD.right + 46}" y="${ly + 4}">${esc(`${f.system}${f.db ? ` · ${f.db}` : ''}`)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
