// The fenced code blocks of a Markdown page, each with how the docs suite runs it (the convention
// of docs/development.md, "Code blocks in the docs").

/** How each info string is handled: the language, then at most one mode word. */
const KINDS = {
  ts: { '': 'node', browser: 'browser', worker: 'worker', deno: 'deno', partial: 'partial' },
  js: { '': 'node', partial: 'partial' },
  html: { '': 'html' },
  sh: { '': 'sh' },
  text: { '': 'text' },
};

/**
 * @typedef {{ file: string, line: number, lang: string, kind: string, code: string }} Block
 * `line` is the 1-based line of the opening fence; the code's first line is `line + 1`.
 */

/**
 * Every fenced block of `markdown`. An info string outside the convention is an error, so a block
 * cannot escape the suite by its spelling.
 * @returns {{ blocks: Block[], errors: string[] }}
 */
export function parseBlocks(file, markdown) {
  const blocks = [];
  const errors = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j].startsWith(indent + fence) && lines[j].trim() === fence)) body.push(lines[j++]);
    if (j === lines.length) errors.push(`${file}:${i + 1}: code block never closed`);
    const [lang = '', mode = '', ...rest] = info.trim().split(/\s+/);
    const kind = KINDS[lang]?.[mode];
    if (!kind || rest.length) {
      errors.push(`${file}:${i + 1}: info string "${info.trim()}" is not one of ${Object.entries(KINDS).flatMap(([l, m]) => Object.keys(m).map((w) => `${l}${w ? ` ${w}` : ''}`)).join(', ')}`);
    } else {
      blocks.push({ file, line: i + 1, lang, kind, code: body.map((l) => l.slice(indent.length)).join('\n') });
    }
    i = j;
  }
  return { blocks, errors };
}

/** The module scripts of an HTML block, each with the 0-based line of the block it starts on. */
export function moduleScripts(html) {
  const scripts = [];
  const re = /<script type="module">\n?([\s\S]*?)<\/script>/g;
  for (let m; (m = re.exec(html));) {
    const start = m.index + '<script type="module">'.length;
    const offset = (html.slice(0, start).match(/\n/g) ?? []).length + (html[start] === '\n' ? 1 : 0);
    scripts.push({ offset, code: m[1] });
  }
  return scripts;
}

const REPO_PATH = /^(?:\.\/)?(?:bench|scripts|examples|test|src|e2e|demo|docs|bin)\/[^\s'"]*$/;

/**
 * What is wrong with the commands of a `sh` block: an `npm run` script or `npx` binary the project
 * does not have, a repository path that does not exist. `has.script(name)`, `has.bin(name)` and
 * `has.path(path)` answer for the project.
 */
export function checkShell(code, has) {
  const problems = [];
  for (const raw of code.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    for (const command of line.split(/&&|\|\||;|\|/).map((c) => c.trim()).filter(Boolean)) {
      const words = command.split(/\s+/);
      while (words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) words.shift();
      const [cmd, sub, arg] = words;
      if (cmd === 'npm') {
        if (sub === 'run' && !has.script(arg)) problems.push(`npm run ${arg}: no such script in package.json`);
        if ((sub === 'start' || sub === 'test') && !has.script(sub)) problems.push(`npm ${sub}: no such script in package.json`);
      }
      if (cmd === 'npx' && !has.bin(sub)) problems.push(`npx ${sub}: not a binary the project installs`);
      for (const w of words) {
        const path = w.replace(/^['"]|['"]$/g, '');
        if (REPO_PATH.test(path) && !has.path(path)) problems.push(`${path}: no such file in the repository`);
      }
    }
  }
  return problems;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces → `-`. */
export function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/**
 * The relative links of a page (`[text](other.md#anchor)`, `[text](#anchor)`) that lead nowhere.
 * `read(path)` returns a page's Markdown (path relative to the repository) or undefined.
 */
export function brokenLinks(file, markdown, read) {
  const anchors = (md) => new Set(md.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ''))));
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
  const problems = [];
  const prose = markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '').replace(/`[^`\n]*`/g, '');
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const resolved = path ? normalize(dir + path) : file;
    const page = read(resolved);
    if (page === undefined) problems.push(`${target}: no file ${resolved}`);
    else if (anchor && resolved.endsWith('.md') && !anchors(page).has(anchor)) problems.push(`${target}: no heading #${anchor} in ${resolved}`);
  }
  return problems;
}

function normalize(path) {
  const parts = [];
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
