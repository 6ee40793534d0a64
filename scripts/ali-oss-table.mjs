#!/usr/bin/env node
// The "Coming from ali-oss" table of the docs is generated from test/oracle/ali-oss-differences.json,
// the allow-list of intended differences the ali-oss parity suite checks results against, so the
// table and the suite cannot disagree.
//   node scripts/ali-oss-table.mjs           rewrite the table in place
//   node scripts/ali-oss-table.mjs --check   exit 1 when the table differs from the list
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HEADING = '## Coming from ali-oss';
export const DIFFERENCES = join(root, 'test/oracle/ali-oss-differences.json');

/** The intended differences, in table order: `{ id, aliOss, ossFetch }` (cells are Markdown). */
export function loadDifferences() {
  return JSON.parse(readFileSync(DIFFERENCES, 'utf8'));
}

/** The Markdown table of the differences. */
export function renderTable(differences) {
  return ['| ali-oss | oss-fetch |', '|---|---|', ...differences.map((d) => `| ${d.aliOss} | ${d.ossFetch} |`)].join('\n');
}

/** The doc that holds the section (the README, or the docs/ page it moved to). */
export function docWithTable() {
  const candidates = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  if (existsSync(docs)) for (const f of readdirSync(docs).sort()) if (f.endsWith('.md')) candidates.push(join(docs, f));
  const found = candidates.filter((f) => readFileSync(f, 'utf8').split('\n').some((l) => l.trim() === HEADING || l.trim() === HEADING.replace(/^## /, '# ')));
  if (found.length !== 1) throw new Error(`expected one doc with the heading "${HEADING}", found ${found.length}`);
  return found[0];
}

/** The doc's text split around the section's first table: `{ before, table, after }`. */
export function splitDoc(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().endsWith(HEADING.replace(/^## /, '')) && l.startsWith('#'));
  const first = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  if (start < 0 || first < 0) throw new Error('no table under the "Coming from ali-oss" heading');
  let end = first;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  return { before: lines.slice(0, first).join('\n'), table: lines.slice(first, end).join('\n'), after: lines.slice(end).join('\n') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = docWithTable();
  const { before, table, after } = splitDoc(readFileSync(file, 'utf8'));
  const wanted = renderTable(loadDifferences());
  if (process.argv.includes('--check')) {
    if (table !== wanted) {
      console.error(`${file}: the "Coming from ali-oss" table differs from test/oracle/ali-oss-differences.json; run node scripts/ali-oss-table.mjs`);
      process.exit(1);
    }
  } else if (table !== wanted) {
    writeFileSync(file, `${before}\n${wanted}\n${after}`);
    console.log(`rewrote the table in ${file}`);
  }
}
