#!/usr/bin/env node
// Every public function, class and class method (also those an interface merged with the class
// declares) of the package's entries has JSDoc. Lists the
// ones that do not and fails; prints `N passed, N failed` (one per public declaration).
//   node scripts/check-jsdoc.mjs
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The entries of package.json `exports` (their sources). */
export const ENTRIES = [
  'src/index.ts', 'src/adapters/node.ts', 'src/server/index.ts', 'src/server/web.ts',
  'src/adapters/deno/index.ts', 'src/adapters/deno/server.ts', 'src/adapters/workers/index.ts',
];

const hasDoc = (node) => ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d) && (d.comment || d.tags?.length));
const isInternal = (node) => ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');

function isPublicMember(member) {
  if (!ts.isMethodDeclaration(member) && !ts.isGetAccessorDeclaration(member)) return false;
  if (member.name && ts.isPrivateIdentifier(member.name)) return false;
  const flags = ts.getCombinedModifierFlags(member);
  return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
}

/** Whether a function-like variable (`export const f = () => …`) counts as a function. */
function isFunctionVariable(decl) {
  return ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer));
}

/** Members documented where they are declared: the interfaces a class implements, its base class. */
function inheritedDocs(checker, cls) {
  const names = new Set();
  for (const clause of cls.heritageClauses ?? []) {
    for (const heritage of clause.types) {
      for (const prop of checker.getTypeAtLocation(heritage).getProperties()) {
        if (prop.getDocumentationComment(checker).length) names.add(prop.name);
      }
    }
  }
  return names;
}

export function undocumented() {
  const program = ts.createProgram(ENTRIES.map((e) => join(root, e)), { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, allowJs: false, noEmit: true });
  const checker = program.getTypeChecker();
  const seen = new Set();
  const checked = [];
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(join(root, entry));
    const moduleSymbol = checker.getSymbolAtLocation(file);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const decls = (symbol.declarations ?? []).filter((d) => ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d) || isFunctionVariable(d));
      if (!decls.length) continue;
      const where = (node) => `${relative(root, node.getSourceFile().fileName)}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      // Overloads: one documented signature documents them all.
      const docNode = (d) => (isFunctionVariable(d) ? d.parent.parent : d);
      checked.push({ name: symbol.name, where: where(decls[0]), ok: decls.some((d) => hasDoc(docNode(d))) });
      // A class's methods, and those of an interface merged with it (OSSClient declares its
      // table-attached methods that way).
      const merged = (symbol.declarations ?? []).filter(ts.isInterfaceDeclaration).flatMap((i) => i.members.filter(ts.isMethodSignature));
      for (const cls of decls.filter(ts.isClassDeclaration)) {
        const inherited = inheritedDocs(checker, cls);
        const byName = new Map();
        for (const member of [...cls.members.filter(isPublicMember), ...merged]) {
          const short = member.name.getText();
          const name = `${symbol.name}.${short}`;
          if (isInternal(member)) continue;
          const prior = byName.get(name);
          const ok = Boolean(prior?.ok) || hasDoc(member) || inherited.has(short);
          byName.set(name, { name, where: prior?.where ?? where(member), ok });
        }
        checked.push(...byName.values());
      }
    }
  }
  return checked;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const checked = undocumented();
  const missing = checked.filter((c) => !c.ok);
  for (const m of missing) console.log(`  ✗ no JSDoc: ${m.name} (${m.where})`);
  console.log(`JSDoc: ${checked.length} public functions, classes and methods checked`);
  console.log(`${checked.length - missing.length} passed, ${missing.length} failed`);
  process.exit(missing.length ? 1 : 0);
}
