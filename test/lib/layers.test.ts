/**
 * The layering of `src/` (issue 15; ../shared/docs/style.md): data flows argv → options → core →
 * rows → formatter, so `src/core`, `src/input` and `src/format` never import from `src/cli`, the
 * core imports only the core (and the neutral errors module is a leaf), and no module imports
 * itself through others. The import graph is read from the sources: static imports and exports
 * (`import type` included: a type cycle is a design cycle too) and dynamic `import('…')`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each module's relative imports, as paths under src/ (`cli/main.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((match) =>
      relative(SRC, resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))),
    );
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components of more than one module (or a module importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  function visit(node: string): void {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        found.push(component.sort());
      }
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const graph = importGraph();
const layerOf = (path: string) => path.split('/')[0] as string;

describe('the import graph of src/', () => {
  test('is read from the sources: every import names a module that exists', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('cli/main.ts')).toContain('errors.ts');
    for (const [from, targets] of graph) {
      for (const target of targets)
        expect({ from, target, exists: graph.has(target) }).toEqual({
          from,
          target,
          exists: true,
        });
    }
  });

  test('has no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('the cycle finder finds one (a check of the check)', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  test('core, input and format never import from cli', () => {
    const upward = [...graph].flatMap(([from, targets]) =>
      ['core', 'input', 'format'].includes(layerOf(from))
        ? targets.filter((t) => layerOf(t) === 'cli').map((t) => `${from} → ${t}`)
        : [],
    );
    expect(upward).toEqual([]);
  });

  test('the core imports only the core: it is the library, with no I/O and no formatting', () => {
    const outside = [...graph].flatMap(([from, targets]) =>
      layerOf(from) === 'core'
        ? targets.filter((t) => layerOf(t) !== 'core').map((t) => `${from} → ${t}`)
        : [],
    );
    expect(outside).toEqual([]);
  });

  test('the errors module is a leaf that every layer may import', () => {
    expect(graph.get('errors.ts')).toEqual([]);
  });
});
