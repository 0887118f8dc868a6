/**
 * The functions a V8 CPU profile spent its samples in, by self time, with where they live; with
 * `--callers name`, the call stacks (innermost $DEPTH frames, 6 by default) that spent time in
 * functions so named; with `--inclusive`, by the time spent in each function and its callees.
 *   npx tsx bench/src/profile-top.ts bench/results/profiles/<file>.cpuprofile [count] [--callers writev | --inclusive]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const callersAt = args.indexOf('--callers');
const callersOf = callersAt >= 0 ? args.splice(callersAt, 2)[1] : undefined;
const inclusive = args.includes('--inclusive') && args.splice(args.indexOf('--inclusive'), 1).length > 0;
const [file, count = '25'] = args;
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [count]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const nameOf = (frame: ProfileNode['callFrame']) => {
  const where = frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/apps\//, 'apps/');
  return `${frame.functionName || '(anonymous)'}  ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
};
const stackOf = (id: number, depth: number) => {
  const names: string[] = [];
  for (let at: number | undefined = id; at !== undefined && names.length < depth; at = parentOf.get(at)) {
    names.push(nameOf(byId.get(at)!.callFrame));
  }
  return names.join('\n        < ');
};
const DEPTH = Number(process.env.DEPTH ?? 6);
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = byId.get(id)!.callFrame;
  const dt = profile.timeDeltas[i] ?? 0;
  if (inclusive) {
    // Each function once per sample, however deep it recurses: its share of the time, callees included.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
      seen.add(nameOf(byId.get(at)!.callFrame));
    for (const key of seen) self.set(key, (self.get(key) ?? 0) + dt);
  } else {
    const key =
      callersOf === undefined ? nameOf(frame) : frame.functionName === callersOf ? stackOf(id, DEPTH) : '(other)';
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  total += dt;
});
console.log(`${(total / 1e6).toFixed(1)} s sampled`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
