/**
 * The floors of main/ (issue #10): the folder-level import graph has no cycles, and the lint rule
 * that keeps it so (eslint.config.js, `floors`) fails on a violation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'main');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g;

/** main/<folder>/… → folder; main/index.ts and main/preload.ts are the shell's root files. */
function folderOf(file: string): string {
  const [first, second] = path.relative(MAIN, file).split(path.sep);
  return second === undefined ? 'shell' : first!;
}

/** Every folder-to-folder import edge of main/, with one example file per edge. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  const files = fs.readdirSync(MAIN, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
  for (const name of files) {
    const file = path.join(MAIN, name);
    const from = folderOf(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1]!);
      if (!target.startsWith(MAIN + path.sep)) continue;
      const isDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
      const to = folderOf(isDir ? path.join(target, 'index.ts') : target.endsWith('.ts') ? target : `${target}.ts`);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      graph.get(from)!.set(to, name);
    }
  }
  return graph;
}

/** A cycle as a list of folders, or null (depth-first search with an on-stack set). */
function findCycle(graph: Map<string, Map<string, string>>): string[] | null {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (stack.includes(node)) return [...stack.slice(stack.indexOf(node)), node];
    if (done.has(node)) return null;
    stack.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('the floors of main/', () => {
  it('the folder-level import graph has no cycles, and the ground floor imports nothing of the app', () => {
    const graph = folderGraph();
    expect(findCycle(graph)).toBeNull();
    expect(graph.get('model')).toBeUndefined();
    for (const floor of ['oauth', 'tokens', 'sandbox']) expect([...(graph.get(floor)?.keys() ?? [])]).not.toContain('core');
    // The check itself finds a cycle when there is one.
    expect(findCycle(new Map([['a', new Map([['b', 'x']])], ['b', new Map([['a', 'y']])]]))).toEqual(['a', 'b', 'a']);
  });

  it('lint fails the build on a layer violation', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const violations: [string, string][] = [
      ['main/model/bad.ts', "import { TokenDesk } from '../core/desk';\nexport const x = TokenDesk;\n"],
      ['main/oauth/presets/bad.ts', "import { Vault } from '../../tokens/vault';\nexport const x = Vault;\n"],
      ['main/tokens/bad.ts', "import { TokenDesk } from '../core/desk';\nexport const x = TokenDesk;\n"],
      ['main/tokens/bad-ipc.ts', "import { channels } from '../ipc/contract';\nexport const x = channels;\n"],
      ['main/core/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ];
    for (const [filePath, code] of violations) {
      const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
      expect(result!.messages.map((message) => message.ruleId), filePath).toEqual(['no-restricted-imports']);
    }
    const [allowed] = await eslint.lintText("import { TokenDeskError } from '../model/errors';\nexport const x = TokenDeskError;\n", { filePath: path.join(ROOT, 'main/tokens/fine.ts') });
    expect(allowed!.messages).toEqual([]);
  }, 60_000);
});
