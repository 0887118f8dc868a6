import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import type { RunOutcome } from '../run';
import { latencyChart } from './chart';
import type { Machine } from './machine';
import { markdownReport } from './markdown';

const PERFORMANCE_DOC = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));

/**
 * `<out>/<date>.json` (every figure), `.md` (the tables) and `.svg` (the latency chart); with
 * `updateDocs`, docs/performance.md and its chart too. Returns the files written.
 */
export async function writeReport(opts: {
  outDir: string;
  machine: Machine;
  outcome: RunOutcome;
  command: string;
  updateDocs: boolean;
}): Promise<string[]> {
  const date = new Date().toISOString().slice(0, 10);
  const base = path.join(opts.outDir, date);
  const chartName = `${date}-latency.svg`;
  const written: string[] = [];
  const write = (file: string, content: string) => {
    fs.writeFileSync(file, content);
    written.push(path.relative(process.cwd(), file));
  };
  const { machine, outcome, command } = opts;
  write(`${base}.json`, `${JSON.stringify({ date, command, machine, ...outcome }, null, 2)}\n`);
  const chart = latencyChart(outcome.figures);
  if (chart) write(path.join(opts.outDir, chartName), chart);
  write(`${base}.md`, markdownReport({ date, command, machine, outcome, chart: chart ? chartName : undefined }));
  if (opts.updateDocs && chart) {
    const docsChart = 'performance-latency.svg';
    write(path.join(path.dirname(PERFORMANCE_DOC), docsChart), chart);
    const table = markdownReport({ date, command, machine, outcome, chart: docsChart });
    const doc = replaceGenerated(fs.readFileSync(PERFORMANCE_DOC, 'utf8'), table);
    write(PERFORMANCE_DOC, await format(doc, { parser: 'markdown', filepath: PERFORMANCE_DOC }));
  }
  return written;
}

const START = '<!-- bench:start (written by npm run bench; edit outside these marks) -->';
const END = '<!-- bench:end -->';

/** docs/performance.md keeps its prose; only the part between the marks is replaced. */
function replaceGenerated(doc: string, table: string): string {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`docs/performance.md lacks the marks ${START} … ${END}`);
  return `${doc.slice(0, from + START.length)}\n${table}${doc.slice(to)}`;
}
