// A small summariser for V8 .cpuprofile files (what `node --cpu-prof` writes): self time by
// function and file, by file, and by area (oss-fetch's sources, Node's internals, packages,
// V8's own buckets such as the garbage collector).
//   npx tsx bench/cpuprofile.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Monotonic µs (the clock of `process.hrtime`). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}
/** Monotonic µs, as `process.hrtime.bigint() / 1000n`: only samples in [from, to] count. */
export interface Window {
  from: number;
  to: number;
}
export interface SelfTime {
  name: string;
  micros: number;
}

/** A node's file, shortened: relative to the repository, `node:` for Node's internals, a V8 bucket as is. */
function fileOf(url: string): string {
  if (!url) return '(V8 / native)';
  const root = fileURLToPath(new URL('..', import.meta.url));
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + 1);
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** Where a file belongs, for the coarse split. */
function areaOf(file: string, functionName: string): string {
  if (file === '(V8 / native)') return functionName.startsWith('(') ? functionName : '(V8 / native)';
  if (file.startsWith('src/')) return 'oss-fetch (src/)';
  if (file.startsWith('dist/')) return 'oss-fetch (dist/, as built)';
  if (file.startsWith('node:internal/deps/undici')) return "Node's fetch (undici)";
  if (file.startsWith('node:')) return "Node's internals (node:*)";
  if (file.startsWith('node_modules/')) return `package ${file.split('/')[1]}`;
  return 'other (bench/, tsx)';
}

/** Self time per sample's node: the time until the next sample (V8's timeDeltas are to the previous one). */
function selfTimes(profile: CpuProfile, window?: Window): Map<number, number> {
  const out = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    out.set(profile.samples[i]!, (out.get(profile.samples[i]!) ?? 0) + dt);
  }
  return out;
}

const top = (m: Map<string, number>, n: number): SelfTime[] => [...m].map(([name, micros]) => ({ name, micros })).sort((a, b) => b.micros - a.micros).slice(0, n);

/** Self time grouped three ways; `(idle)` is left out of every total (time the process waited). */
export function summarise(profile: CpuProfile, n = 20, window?: Window): { total: number; byFunction: SelfTime[]; byFile: SelfTime[]; byArea: SelfTime[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, micros] of selfTimes(profile, window)) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const f = fileOf(url);
    const name = functionName || `(anonymous):${lineNumber + 1}`;
    total += micros;
    add(fn, url ? `${name}  ${f}` : name, micros);
    add(file, f, micros);
    add(area, areaOf(f, functionName), micros);
  }
  return { total, byFunction: top(fn, n), byFile: top(file, n), byArea: top(area, n) };
}

/** The summary as text: top `n` by function and file, then by file and by area (its top 8). */
export function formatSummary(profile: CpuProfile, n = 20, window?: Window): string {
  const s = summarise(profile, n, window);
  const line = (r: SelfTime) => `${(r.micros / 1000).toFixed(1).padStart(8)} ms ${((100 * r.micros) / s.total).toFixed(1).padStart(5)}%  ${r.name}`;
  return [
    `self time ${(s.total / 1000).toFixed(0)} ms (idle excluded${window ? ', measured phase only' : ''}); top ${n} by function and file:`,
    ...s.byFunction.map(line),
    '', `by file (top ${Math.min(n, 10)}):`, ...s.byFile.slice(0, 10).map(line),
    '', 'by area:', ...s.byArea.slice(0, 8).map(line),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [path, n] = process.argv.slice(2);
  if (!path) throw new Error('usage: npx tsx bench/cpuprofile.ts <file.cpuprofile> [top]');
  console.log(formatSummary(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, Number(n ?? 20)));
}
