// Run by Deno and Bun: import the bundled suite, run it against the server, print each result
// and, last, one `CONFORMANCE-REPORT <json>` line for the Node driver (run.mjs).
//   deno run --allow-net=127.0.0.1 --allow-read launch.mjs <bundle.mjs> <context json>
//   bun launch.mjs <bundle.mjs> <context json>
const [bundle, context] = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const { runConformance } = await import(new URL(`file://${bundle}`).href);
const report = await runConformance(JSON.parse(context), (line) => console.log(line));
console.log(`CONFORMANCE-REPORT ${JSON.stringify(report)}`);
// Exit now rather than when the last timer fires: a timer the SDK leaves behind must not hold the
// run (it shows up as a slow exit when this line is removed).
if (globalThis.Deno) globalThis.Deno.exit(0);
else process.exit(0);
