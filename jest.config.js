import { availableParallelism } from 'node:os';

// Jest runs in ESM mode (ts-jest's default-esm preset) because chalk 5 is ESM-only; the
// npm script sets NODE_OPTIONS=--experimental-vm-modules for it.
/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  // Relative imports are written with .js suffixes (NodeNext); point them at the .ts sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // ts-jest, with the built-ins bound as module constants: jest's vm context makes each bare
  // global lookup (Math.exp in a loop) 10–30 times slower (test/jest-transform.cjs).
  transform: {
    '^.+\\.ts$': ['<rootDir>/test/jest-transform.cjs', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // The longest files first, also on a first run with no times cached (test/jest-sequencer.cjs).
  testSequencer: '<rootDir>/test/jest-sequencer.cjs',
  testTimeout: 30000,
  // Jest's default (cores − 1) is one worker on a 2-core machine: every file in one process
  // while the other core idles. Most CLI tests now run in-process (test/cli/run.ts), so the
  // files are CPU-bound and two workers keep both cores busy (bench/README.md, "Test suite").
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
