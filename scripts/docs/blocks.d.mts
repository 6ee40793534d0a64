// Types of blocks.mjs, for the tests that import it.
export interface Block { file: string; line: number; lang: string; kind: string; code: string }
export function parseBlocks(file: string, markdown: string): { blocks: Block[]; errors: string[] };
export function moduleScripts(html: string): { offset: number; code: string }[];
export function checkShell(code: string, has: { script(name: string): boolean; bin(name: string): boolean; path(path: string): boolean }): string[];
export function slug(heading: string): string;
export function brokenLinks(file: string, markdown: string, read: (path: string) => string | undefined): string[];
