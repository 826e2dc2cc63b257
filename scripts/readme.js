#!/usr/bin/env node
// Rewrites the option tables of README.md from the option declarations (run `npm run build`
// first; `npm run readme` does both).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from '../dist/cli/reference.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, updateReadme(readFileSync(path, 'utf8')));
