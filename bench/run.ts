// `npm run bench`: oss-fetch (on the built-in fetch, and on nodeFetch) vs ali-oss 6.23, each
// signing V4 and V1, vs unsigned fetch against the local server, in interleaved rounds:
// throughput and the client process's CPU per operation or per MiB, as ratios to ali-oss signing
// the same version (this machine is noisy; absolute numbers mean little). Targets are printed
// with ✓/✗, never asserted: the process fails only when a scenario fails to run.
// Writes bench/RESULTS.md and bench/results.json. BENCH_QUICK=1 for a ~1-minute run; every size
// can be overridden by env (see CONFIG).
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENTS, NODE_FETCH, SIGNING_CLIENTS, SIGS, drivers, ossFetchClient, parseContender, type Client } from './drivers.js';
import { startChildServer, type ChildServer } from './local-server.js';
import { crc64Rate, signV1Rate, signV4Rate, type Signer } from './micro.js';
import { cpuDuring, cpuDuringCollected, interleaved, interleavedCost, mbps, opsPerSecond, pairedRatio, summarize, type Cost, type Measured, type Summary } from './stats.js';
import { measured } from './package.js';

const MiB = 1024 * 1024;
const quick = process.env.BENCH_QUICK === '1';
const env = (name: string, full: number, fast: number) => Number(process.env[name] ?? (quick ? fast : full));
const CONFIG = {
  rounds: env('BENCH_ROUNDS', 5, 3),
  smallOps: env('BENCH_SMALL_OPS', 1000, 400),
  inFlight: env('BENCH_IN_FLIGHT', 32, 32),
  bigMiB: env('BENCH_BIG_MIB', 64, 8),
  multipartMiB: env('BENCH_MULTIPART_MIB', 1024, 64),
  multipartRounds: env('BENCH_MULTIPART_ROUNDS', 2, 1),
  partMiB: env('BENCH_PART_MIB', 8, 8),
  parallel: env('BENCH_PARALLEL', 4, 4),
  listKeys: env('BENCH_LIST_KEYS', 10000, 1000),
  signMs: env('BENCH_SIGN_MS', 500, 200),
  crcMiB: env('BENCH_CRC_MIB', 64, 16),
};
const BUCKET = 'bench';

/**
 * A client scenario: one line per contender (each client once per signature version, and raw
 * fetch), its throughput and its process's CPU (user + system) per unit of work. Ratios compare
 * a client with ali-oss signing the same version, never across versions.
 */
interface Row {
  scenario: string;
  /** Throughput unit (higher is better). */
  unit: string;
  /** Client CPU per unit of work (lower is better). */
  cpuUnit: string;
  results: Partial<Record<string, Cost>>;
  /** What a contender ran, where it differs from the scenario's name (multipart: ali-oss from the file). */
  how?: Partial<Record<string, string>>;
  targets?: Target[];
  note?: string;
}
/** A target on the ratio to ali-oss of the same version: CPU at most `bound`×, or throughput at least `bound`×. */
interface Target {
  client: Client;
  metric: 'cpu' | 'value';
  bound: number;
}
/** A measurement outside the like-for-like table: CRC-64, memory, the server itself. */
interface Extra {
  scenario: string;
  unit: string;
  results: Partial<Record<string, Summary>>;
  /** At most (memory) or at least this much, for the contenders judged. */
  target?: { bound: number; lowerIsBetter: boolean; judged: string[] };
  note?: string;
}
const rows: Row[] = [];
const extras: Extra[] = [];
const log = (msg: string) => console.error(`[bench] ${msg}`);

/** The issue-19 CPU targets: oss-fetch/node ≤ 0.8× ali-oss per 1 KiB request, the portable client ≤ 1.2×; ≤ 0.7× per MiB on large transfers. */
const SMALL_CPU: Target[] = [{ client: NODE_FETCH, metric: 'cpu', bound: 0.8 }, { client: 'oss-fetch', metric: 'cpu', bound: 1.2 }];
const BULK_CPU: Target[] = [{ client: NODE_FETCH, metric: 'cpu', bound: 0.7 }, { client: 'oss-fetch', metric: 'cpu', bound: 0.7 }];
const AT_LEAST_ALI: Target[] = [{ client: NODE_FETCH, metric: 'value', bound: 1 }, { client: 'oss-fetch', metric: 'value', bound: 1 }];
/** Issue 19: "listing ≥ 3× ali-oss as today", keys per second. */
const LISTING: Target[] = [{ client: NODE_FETCH, metric: 'value', bound: 3 }, { client: 'oss-fetch', metric: 'value', bound: 3 }];

async function publicBucket(server: ChildServer): Promise<void> {
  await ossFetchClient(server.url, BUCKET).putBucketACL(BUCKET, 'public-read-write');
}

/** `ops` calls of `op` with `inFlight` at once: ops/s and client CPU µs per op. */
async function opsWithCpu(ops: number, op: (i: number) => Promise<unknown>): Promise<Measured> {
  const { result, cpuMicros } = await cpuDuring(() => opsPerSecond(ops, CONFIG.inFlight, op));
  return { value: result, cpu: cpuMicros / ops };
}

/** 1 KiB put and get with `inFlight` requests at once: ops/s and client CPU per op. */
async function smallObjects(server: ChildServer, label: string, targets?: Target[]): Promise<void> {
  const d = drivers(server.url, BUCKET);
  const body = crypto.getRandomValues(new Uint8Array(1024));
  const keys = Array.from({ length: 256 }, (_, i) => `small/${i}`);
  await Promise.all(keys.map((k) => d.raw.put(k, body)));
  for (const name of CLIENTS) await opsPerSecond(200, CONFIG.inFlight, (i) => d[name].get(keys[i % keys.length]!)); // warm-up
  const put = await interleavedCost(CLIENTS, CONFIG.rounds, (name) => opsWithCpu(CONFIG.smallOps, (i) => d[name].put(keys[i % keys.length]!, body)));
  const get = await interleavedCost(CLIENTS, CONFIG.rounds, (name) => opsWithCpu(CONFIG.smallOps, (i) => d[name].get(keys[i % keys.length]!)));
  rows.push({ scenario: `1 KiB put, ${CONFIG.inFlight} in flight (${label})`, unit: 'ops/s', cpuUnit: 'µs/op', results: put, targets });
  rows.push({ scenario: `1 KiB get, ${CONFIG.inFlight} in flight (${label})`, unit: 'ops/s', cpuUnit: 'µs/op', results: get, targets });
}

/** One large put then get: MB/s and client CPU per MiB. */
async function largeObjects(server: ChildServer): Promise<void> {
  const d = drivers(server.url, BUCKET);
  const size = CONFIG.bigMiB * MiB;
  const body = randomFillSync(new Uint8Array(size));
  const timed = async (fn: () => Promise<unknown>): Promise<Measured> => {
    const { cpuMicros, ms } = await cpuDuringCollected(fn);
    return { value: mbps(size, ms), cpu: cpuMicros / 1000 / CONFIG.bigMiB };
  };
  const put = await interleavedCost(CLIENTS, CONFIG.rounds, (name) => timed(() => d[name].put(`large/${name}`, body)));
  const get = await interleavedCost(CLIENTS, CONFIG.rounds, (name) => timed(async () => {
    if ((await d[name].get(`large/${name}`)) !== size) throw new Error(`${name} got a short body`);
  }));
  rows.push({ scenario: `${CONFIG.bigMiB} MiB single put`, unit: 'MB/s', cpuUnit: 'ms/MiB', results: put, targets: BULK_CPU });
  rows.push({ scenario: `${CONFIG.bigMiB} MiB single get`, unit: 'MB/s', cpuUnit: 'ms/MiB', results: get, targets: BULK_CPU });
}

interface UploadReport {
  seconds: number;
  cpuMicros: number;
  baselineRss: number;
  peakRss: number;
}

/** Runs bench/upload-proc.ts and returns its JSON line. */
async function uploadProcess(args: string[]): Promise<UploadReport> {
  const script = fileURLToPath(new URL('./upload-proc.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const child = spawn(process.execPath, [tsx, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`upload-proc ${args.slice(0, 2).join(' ')} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function writeSourceFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = randomFillSync(new Uint8Array(MiB));
  for (let o = 0; o < size; o += MiB) {
    if (!out.write(chunk.slice(0, Math.min(MiB, size - o)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** upload-proc's variants: how each client uploads (oss-fetch from a stream and from the file, ali-oss from the file). */
const UPLOADS = { [NODE_FETCH]: { stream: 'node-fetch', file: 'node-fetch-file' }, 'oss-fetch': { stream: 'oss-fetch', file: 'oss-fetch-file' }, 'ali-oss': { stream: 'ali-oss', file: 'ali-oss' } } as const;
const UPLOAD_HOW = { 'node-fetch': 'byte stream', 'node-fetch-file': 'file: multipartUploadFile', 'node-fetch-chunks': 'stream of chunks', 'oss-fetch': 'byte stream', 'oss-fetch-file': 'file: openAsBlob', 'ali-oss': 'file', raw: 'byte stream, unsigned parts' } as const;

/** Managed multipart upload in a child process per client and version: MB/s, CPU per MiB, peak RSS growth. */
async function multipart(server: ChildServer, dir: string): Promise<void> {
  const size = CONFIG.multipartMiB * MiB;
  const file = join(dir, 'source.bin');
  await writeSourceFile(file, size);
  // The stream is a byte stream (as fetch bodies, Blob and file streams are), which oss-fetch reads
  // straight into its part buffers. 'drain' reads it into one buffer and drops it: what producing
  // the stream costs, inside every stream row's CPU (ali-oss reads the file instead).
  // 'node-fetch-chunks V4' uploads the same bytes from a stream of fresh 64 KiB chunks (not a byte
  // stream: a Node Readable through Readable.toWeb is one), which must be copied into the parts.
  const variants = [...new Set(SIGS.flatMap((sig) => SIGNING_CLIENTS.flatMap((c) => [`${UPLOADS[c].stream} ${sig}`, `${UPLOADS[c].file} ${sig}`]))), 'node-fetch-chunks V4', 'raw', 'drain'];
  const rss: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
  const runs = await interleavedCost(variants, CONFIG.multipartRounds, async (variant) => {
    const [kind, sig = '-'] = variant.split(' ');
    const r = await uploadProcess([kind!, sig, server.url, BUCKET, String(size), String(CONFIG.partMiB * MiB), String(CONFIG.parallel), file]);
    rss[variant]!.push((r.peakRss - r.baselineRss) / MiB);
    return { value: size / 1e6 / r.seconds, cpu: r.cpuMicros / 1000 / CONFIG.multipartMiB };
  });
  const label = `${CONFIG.multipartMiB} MiB multipart (part ${CONFIG.partMiB} MiB × ${CONFIG.parallel})`;
  for (const source of ['stream', 'file'] as const) {
    const results: Record<string, Cost> = { raw: runs.raw! };
    const how: Record<string, string> = { raw: UPLOAD_HOW.raw };
    for (const sig of SIGS) {
      for (const c of SIGNING_CLIENTS) {
        const v = UPLOADS[c][source];
        results[`${c} ${sig}`] = runs[`${v} ${sig}`]!;
        how[`${c} ${sig}`] = UPLOAD_HOW[v];
      }
    }
    rows.push({ scenario: `${label}, oss-fetch from ${source}`, unit: 'MB/s', cpuUnit: 'ms/MiB', results, how, targets: BULK_CPU, note: 'ali-oss uploads from the file in both rows' });
  }
  extras.push({
    scenario: `${label}, oss-fetch from stream: the stream's producer alone (read and dropped, nothing uploaded)`,
    unit: 'ms/MiB client CPU',
    results: { 'the stream alone': runs.drain!.cpu, 'ali-oss V4 (file), whole upload': runs['ali-oss V4']!.cpu },
    note: 'part of every stream row\'s CPU: a stream contender cannot come below it',
  });
  extras.push({
    scenario: `${label}, ${NODE_FETCH} V4 from a stream of chunks (not a byte stream): each chunk copied into its part`,
    unit: 'ms/MiB client CPU',
    results: { [`${NODE_FETCH} V4 (stream of chunks)`]: runs['node-fetch-chunks V4']!.cpu, [`${NODE_FETCH} V4 (byte stream)`]: runs['node-fetch V4']!.cpu, 'ali-oss V4 (file)': runs['ali-oss V4']!.cpu },
  });
  const bound = 64 + CONFIG.parallel * CONFIG.partMiB;
  const labelled = (v: string) => {
    const [kind, sig] = v.split(' ');
    const client = Object.entries(UPLOADS).find(([, u]) => u.stream === kind || u.file === kind)?.[0] ?? 'raw';
    return `${client}${sig ? ` ${sig}` : ''} (${UPLOAD_HOW[kind as keyof typeof UPLOAD_HOW]})`;
  };
  extras.push({
    scenario: `${label}: client peak RSS growth`,
    unit: 'MiB',
    results: Object.fromEntries(variants.filter((v) => v !== 'drain' && v !== 'node-fetch-chunks V4').map((v) => [labelled(v), summarize(rss[v]!)])),
    target: { bound, lowerIsBetter: true, judged: variants.filter((v) => v.startsWith('node-fetch') && v !== 'node-fetch-chunks V4').map(labelled) },
    note: `target ≤ 64 + parallel × partSize = ${bound} MiB for oss-fetch/node (lower is better)`,
  });
  await rm(file, { force: true });
}

/** Every key of a prefix, 1000 per page: keys/s and client CPU per key. */
async function listing(server: ChildServer): Promise<void> {
  const d = drivers(server.url, BUCKET);
  const keys = Array.from({ length: CONFIG.listKeys }, (_, i) => `list/${String(i).padStart(6, '0')}`);
  const empty = new Uint8Array(0);
  await opsPerSecond(keys.length, 32, (i) => d.raw.put(keys[i]!, empty));
  const result = await interleavedCost(CLIENTS, CONFIG.rounds, async (name) => {
    const t = performance.now();
    const { result: n, cpuMicros } = await cpuDuring(() => d[name].countKeys('list/'));
    if (n !== keys.length) throw new Error(`${name} listed ${n} of ${keys.length}`);
    return { value: n / ((performance.now() - t) / 1000), cpu: cpuMicros / n };
  });
  rows.push({ scenario: `list ${CONFIG.listKeys} keys (listAll / list loop)`, unit: 'keys/s', cpuUnit: 'µs/key', results: result, targets: LISTING });
}

/** Authorization headers per second and CPU per signature, V4 and V1 (oss-fetch on crypto.subtle, oss-fetch/node on nodeSubtle, ali-oss on node:crypto). */
async function signing(): Promise<void> {
  for (const sig of SIGS) {
    const names = SIGNING_CLIENTS.map((c) => `${c} ${sig}`);
    const rate = sig === 'V4' ? signV4Rate : signV1Rate;
    const results = await interleavedCost(names, CONFIG.rounds, (name) => rate(name.split(' ')[0] as Signer, CONFIG.signMs));
    const scenario = sig === 'V4' ? 'sign V4 header (oss-fetch: crypto.subtle; oss-fetch/node: nodeSubtle)' : 'sign V1 header (as V4)';
    rows.push({ scenario, unit: 'sig/s', cpuUnit: 'µs/sig', results, targets: AT_LEAST_ALI });
  }
}

async function crc64(): Promise<void> {
  const runs = await crc64Rate(CONFIG.crcMiB * MiB, CONFIG.rounds);
  extras.push({ scenario: `CRC-64 over ${CONFIG.crcMiB} MiB`, unit: 'MB/s', results: { 'oss-fetch': summarize(runs) }, target: { bound: 1000, lowerIsBetter: false, judged: ['oss-fetch'] }, note: 'ali-oss 6.23 has no CRC-64' });
}

/** The local server (fs store) vs a bare node:http handler doing the same file I/O, both driven by raw fetch. */
async function serverItself(fsServer: ChildServer, dir: string): Promise<void> {
  const bareDir = join(dir, 'bare');
  await import('node:fs/promises').then((fs) => fs.mkdir(bareDir));
  const bare = await startBareServer(bareDir);
  try {
    const body = crypto.getRandomValues(new Uint8Array(1024));
    const targets = { 'oss-fetch server': drivers(fsServer.url, BUCKET).raw, 'bare node:http': drivers(bare.url, BUCKET).raw };
    const names = Object.keys(targets) as (keyof typeof targets)[];
    for (const n of names) await opsPerSecond(256, CONFIG.inFlight, (i) => targets[n].put(`srv/${i}`, body));
    const put = await interleaved(names, CONFIG.rounds, (n) => opsPerSecond(CONFIG.smallOps, CONFIG.inFlight, (i) => targets[n].put(`srv/${i % 256}`, body)));
    const get = await interleaved(names, CONFIG.rounds, (n) => opsPerSecond(CONFIG.smallOps, CONFIG.inFlight, (i) => targets[n].get(`srv/${i % 256}`)));
    extras.push({ scenario: 'server: 1 KiB put (fs store) vs bare node:http', unit: 'ops/s', results: put, note: 'both driven by unsigned fetch' });
    extras.push({ scenario: 'server: 1 KiB get (fs store) vs bare node:http', unit: 'ops/s', results: get, note: 'both driven by unsigned fetch' });
  } finally {
    await bare.stop();
  }
}

async function startBareServer(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const child = spawn(process.execPath, [tsx, fileURLToPath(new URL('./bare-server.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    child.stdout.on('data', (c: Buffer) => {
      banner += c;
      const m = /listening on (http:\/\/\S+)/.exec(banner);
      if (m) resolve(m[1]!);
    });
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

// ---- report ----

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const cell = (s: Summary | undefined, unit = '') => (s ? `${fmt(s.median)}${unit && ` ${unit}`} ±${(s.spread * 50).toFixed(0)}%` : '–');
const times = (x?: number) => (x === undefined ? '–' : `${x.toFixed(2)}×`);

/**
 * A contender over ali-oss of the same signature version (CPU: lower is better): the median of
 * the rounds' own ratios, each round's two measurements taken back to back, so the machine's
 * drift between rounds (large on this VM) cancels out.
 */
function vsAli(row: Row, name: string, metric: 'cpu' | 'value'): number | undefined {
  const who = parseContender(name);
  if (!who || who.client === 'ali-oss') return undefined;
  const ours = row.results[name]?.[metric];
  const theirs = row.results[`ali-oss ${who.sig}`]?.[metric];
  return ours && theirs ? pairedRatio(ours.runs, theirs.runs) : undefined;
}

interface Verdict {
  scenario: string;
  contender: string;
  metric: 'cpu' | 'value';
  ratio: number | undefined;
  bound: number;
  met: boolean;
}

/** Every target of every row, once per signature version. */
function verdicts(): Verdict[] {
  return rows.flatMap((row) => (row.targets ?? []).flatMap((t) => SIGS.filter((sig) => row.results[`${t.client} ${sig}`]).map((sig) => {
    const contender = `${t.client} ${sig}`;
    const ratio = vsAli(row, contender, t.metric);
    const met = ratio !== undefined && (t.metric === 'cpu' ? ratio <= t.bound : ratio >= t.bound);
    return { scenario: row.scenario, contender, metric: t.metric, ratio, bound: t.bound, met };
  })));
}
const goal = (v: Pick<Verdict, 'metric' | 'bound'>) => (v.metric === 'cpu' ? `CPU ≤ ${v.bound}×` : `≥ ${v.bound}×`);

function table(): string {
  const all = verdicts();
  const lines = [
    '| scenario | sig | client | throughput | client CPU | ÷ ali-oss (same sig): throughput | ÷ ali-oss: CPU | target |',
    '|---|---|---|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    for (const name of CLIENTS) {
      const cost = row.results[name];
      if (!cost) continue;
      const who = parseContender(name);
      const how = row.how?.[name];
      const mine = all.filter((v) => v.scenario === row.scenario && v.contender === name);
      const target = mine.map((v) => `${goal(v)} ${v.met ? '✓' : '✗'}`).join(', ');
      const scenario = name === CLIENTS[0] ? `${row.scenario}${row.note ? ` — ${row.note}` : ''}` : '';
      lines.push(`| ${scenario} | ${who?.sig ?? 'none'} | ${who?.client ?? 'raw fetch'}${how ? ` (${how})` : ''} | ${cell(cost.value, row.unit)} | ${cell(cost.cpu, row.cpuUnit)} | ${times(vsAli(row, name, 'value'))} | ${times(vsAli(row, name, 'cpu'))} | ${target} |`);
    }
  }
  return lines.join('\n');
}

function extraTable(): string {
  const lines = ['| measurement | unit | results (median ± half the spread) | target |', '|---|---|---|---|'];
  for (const x of extras) {
    const cells = Object.entries(x.results).map(([name, s]) => `${name}: ${cell(s)}`).join('; ');
    const t = x.target;
    const met = t && t.judged.every((n) => {
      const m = x.results[n]?.median;
      return m !== undefined && (t.lowerIsBetter ? m <= t.bound : m >= t.bound);
    });
    lines.push(`| ${x.scenario}${x.note ? ` — ${x.note}` : ''} | ${x.unit} | ${cells} | ${t ? `${t.lowerIsBetter ? '≤' : '≥'} ${t.bound} ${met ? '✓' : '✗'}` : ''} |`);
  }
  return lines.join('\n');
}

function targetList(): string {
  return verdicts().map((v) => `- ${v.met ? '✓' : '✗'} ${v.scenario}, ${v.contender}: ${v.metric === 'cpu' ? 'client CPU' : 'throughput'} ${times(v.ratio)} ali-oss ${v.contender.split(' ')[1]} (target ${goal(v)})`).join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const dir = await mkdtemp(join(tmpdir(), 'oss-fetch-bench-'));
  // Client scenarios run against the sink (uploads measured and dropped, objects read back as
  // zeros): the server's memory and copying stay out of the client numbers.
  const sink = await startChildServer({ sink: true }, BUCKET);
  const fsServer = await startChildServer({ dir: join(dir, 'store') }, BUCKET);
  try {
    await publicBucket(sink);
    await publicBucket(fsServer);
    log(`config ${JSON.stringify(CONFIG)}`);
    log('signing'); await signing();
    log('crc64'); await crc64();
    log('small objects (sink)'); await smallObjects(sink, 'sink', SMALL_CPU);
    log('small objects (fs store)'); await smallObjects(fsServer, 'fs store');
    log('large objects'); await largeObjects(sink);
    log('listing'); await listing(sink);
    log('multipart'); await multipart(sink, dir);
    log('server vs bare node:http'); await serverItself(fsServer, dir);
  } finally {
    await sink.stop();
    await fsServer.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  // The load average says whether others shared the machine (the CPU columns suffer less from that than the throughput).
  const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`;
  const header = `Node ${process.version}, ${availableParallelism()} CPUs, ${quick ? 'BENCH_QUICK=1' : 'full run'}, ${seconds.toFixed(0)} s, ${new Date().toISOString()}, ${load}. Median over ${CONFIG.rounds} interleaved rounds (multipart: ${CONFIG.multipartRounds}); ± is half the min–max spread; a ratio to ali-oss is the median of the rounds' own ratios (each round measures every contender back to back). Client scenarios run against the local server in a child process in its sink mode (\`oss-fetch serve --sink\`: uploads are measured and dropped, objects read back as zeros), so neither disk nor the server's CPU weighs on the client numbers. Client CPU is the client process's \`process.cpuUsage()\` (user + system) over the measurement divided by the work (multipart: the upload's own child process, after its client's warm-up requests). Each client runs once per signature version; ratios compare it with ali-oss signing the same version. oss-fetch is the portable client on Node's built-in fetch and crypto.subtle; ${NODE_FETCH} is \`OSSClient\` from the Node entry (nodeFetch over undici's dispatcher, nodeSubtle on node:crypto); both loaded from ${measured}.`;
  const report = `${header}\n\n${table()}\n\nTargets (reported, never asserted):\n\n${targetList()}\n\nOther measurements:\n\n${extraTable()}\n`;
  console.log(`\n${report}`);
  // BENCH_OUT: where the results go (the test suite's smoke run keeps bench/ untouched).
  const here = (f: string) => (process.env.BENCH_OUT ? join(process.env.BENCH_OUT, f) : fileURLToPath(new URL(f, import.meta.url)));
  await writeFile(here('./RESULTS.md'), `# Benchmark results\n\n\`npm run bench\` (${quick ? 'BENCH_QUICK=1' : 'full run'}).\n\n${report}`);
  await writeFile(here('./results.json'), `${JSON.stringify({ node: process.version, cpus: availableParallelism(), quick, seconds, config: CONFIG, rows, extras, verdicts: verdicts() }, null, 2)}\n`);
}

await main();
