/**
 * The package as a library: `import … from 'focal'` resolves through package.json `exports` to
 * the built entry and its type declarations, without loading the CLI.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the library entry', () => {
  test("import { focalLoss } from 'focal' works, and the entry does not reach the CLI", () => {
    const script = `
      import { alphaT, crossEntropy, focalLoss, trueClassFromLogit } from 'focal';
      const tc = trueClassFromLogit(40, 1);
      console.log(JSON.stringify({ ce: crossEntropy(tc), fl: focalLoss(tc, alphaT(0.25, 1), 2) }));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(result.stderr).toBe('');
    const { ce, fl } = JSON.parse(result.stdout);
    // mpmath: −ln σ(40) = 4.248354255291588995e−18 (test/fixtures/logit.json).
    expect(ce).toBe(4.248354255291589e-18);
    expect(fl).toBeGreaterThan(0);
    // The core imports only itself: no CLI, formatter, commander or chalk.
    for (const file of readdirSync(`${root}dist/core`).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(`${root}dist/core/${file}`, 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect({ file, outside: imports.filter((i) => !i?.startsWith('./')) }).toEqual({
        file,
        outside: [],
      });
    }
  });

  test('type declarations are built and exported', () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    expect(pkg.exports['.'].types).toBe('./dist/index.d.ts');
    const core = readFileSync(`${root}dist/core/loss.d.ts`, 'utf8');
    expect(core).toContain('export declare function focalLoss(');
  });
});
