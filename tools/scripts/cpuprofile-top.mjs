// Top self-time functions of a V8 .cpuprofile (node --cpu-prof), for the sink-worker benchmark's
// profiles (docs/benchmarks.md). Usage: node tools/scripts/cpuprofile-top.mjs FILE [N=30]
// Self time = the samples whose top frame is the function; grouped by name + file + line.
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/scripts/cpuprofile-top.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i += 1) {
  const node = byId.get(profile.samples[i]);
  const dt = profile.timeDeltas[i] ?? 0;
  selfMicros.set(node.id, (selfMicros.get(node.id) ?? 0) + dt);
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const grouped = new Map();
for (const [id, micros] of selfMicros) {
  const f = byId.get(id).callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
  const key = `${f.functionName || '(anonymous)'} ${where}`;
  grouped.set(key, (grouped.get(key) ?? 0) + micros);
}
const rows = [...grouped].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 30));
console.log(`total sampled: ${(total / 1e6).toFixed(2)} s`);
for (const [key, micros] of rows) {
  console.log(
    `${((micros / total) * 100).toFixed(1).padStart(5)} %  ${(micros / 1e6).toFixed(2).padStart(6)} s  ${key}`,
  );
}
