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
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 30000,
};
