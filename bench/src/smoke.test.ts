import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latencyChart } from './report/chart';
import { markdownReport } from './report/markdown';
import { runBench } from './run';
import { SMOKE_SIZES } from './scenarios/sizes';

const TEST_MACHINE = {
  cpu: 'test CPU',
  cores: 2,
  memoryGiB: 1,
  node: process.version,
  os: 'test',
  databases: {},
  summary: '',
};

/** `npm run bench` in miniature (SQLite, tiny sizes): the generator, both baselines and the report. */
describe('the benchmark', () => {
  it('measures Parley against the ceiling and the peer, and Parley loses nothing', { timeout: 120_000 }, async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-'));
    const outcome = await runBench({
      scenarios: ['room', 'burst-reconnect', 'cold'],
      dbs: ['sqlite'],
      systems: ['parley', 'ceiling', 'peer'],
      sizes: SMOKE_SIZES,
      workers: 1,
      logDir,
      log: () => {},
    });
    expect(outcome.failures).toEqual([]);
    const parley = outcome.figures.filter((f) => f.system === 'parley');
    expect(parley.map((f) => `${f.scenario}: ${f.phase}`)).toEqual([
      'room: 20 msg/s in',
      'room: max rate',
      'burst-reconnect: 10 readers',
      'cold: 20 msg/s in, first',
      'cold: 20 msg/s in, after',
    ]);
    for (const figure of parley) {
      expect(figure, figure.phase).toMatchObject({ lost: 0, duplicated: 0, errors: 0 });
      expect(figure.deliveredPerSec).toBeGreaterThan(0);
    }
    // Each system was restarted for `cold` (a second server wrote its own log), timed until it
    // was up, and its first seconds compared with those after.
    for (const system of ['parley', 'ceiling', 'peer'])
      expect(outcome.figures.find((f) => f.system === system && f.phase.endsWith('first'))!.extra).toMatchObject({
        upSeconds: expect.any(Number),
        p99VsAfter: expect.any(Number),
      });
    expect(
      fs
        .readdirSync(logDir)
        .filter((name) => name.includes('-restart1'))
        .sort(),
    ).toEqual(['ceiling-0-restart1.log', 'parley-sqlite-0-restart1.log', 'peer-sqlite-0-restart1.log']);
    // The ledger does catch loss: the ceiling keeps no history, so its readers miss what was
    // sent while they were away.
    const ceilingBurst = outcome.figures.find((f) => f.system === 'ceiling' && f.scenario === 'burst-reconnect');
    expect(ceilingBurst!.lost).toBeGreaterThan(0);

    const report = markdownReport({
      date: '2026-11-25',
      command: 'npm run bench -- --smoke',
      machine: TEST_MACHINE,
      outcome,
    });
    expect(report).toMatch(
      /\| max rate \| sqlite \| delivered msg\/s \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d.]+× \| [\d.]+× \|/,
    );
    expect(report).toMatch(/\| 20 msg\/s in, first \| sqlite \| up after \(s\) \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/);
    // One latency curve per system.
    expect(latencyChart(outcome.figures)?.match(/<polyline /g)).toHaveLength(3);
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  it(
    'runs a town on Parley alone, with typing, reads and presence, and loses nothing',
    { timeout: 60_000 },
    async () => {
      const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-'));
      const outcome = await runBench({
        // town-ramp is left to `npm run bench -- --smoke --scenario town-ramp`: ~10 s more here.
        scenarios: ['town'],
        dbs: ['sqlite'],
        systems: ['parley', 'ceiling', 'peer'],
        sizes: SMOKE_SIZES,
        workers: 1,
        logDir,
        log: () => {},
      });
      expect(outcome.failures).toEqual([]);
      const [town, ...more] = outcome.figures;
      expect(more).toEqual([]); // no ceiling or peer figures: they have no tickets, groups or typing
      expect(town).toMatchObject({
        system: 'parley',
        clients: SMOKE_SIZES.town.users,
        lost: 0,
        duplicated: 0,
        errors: 0,
      });
      expect(town!.deliveredPerSec).toBeGreaterThan(0);
      for (const frames of ['typingFrames', 'readFrames', 'presenceFrames'])
        expect(town!.extra?.[frames], frames).toBeGreaterThan(0);

      const report = markdownReport({
        date: '2026-12-04',
        command: 'npm run bench -- --smoke --scenario town',
        machine: TEST_MACHINE,
        outcome,
      });
      expect(report).toMatch(/\| sqlite \| 60 \| [\d,]+ \| [\d,]+ \| [\d.]+ \/ [\d.]+ \| 0 \| 0 \| 0 \|/);
      fs.rmSync(logDir, { recursive: true, force: true });
    },
  );
});
