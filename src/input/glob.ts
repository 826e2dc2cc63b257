/**
 * Shell-style globs for `--input 'shards/*.csv.gz'`, as POSIX sh expands them (`*`, `?` and
 * bracket expressions `[a-c]`, `[!0-9]`, within one path segment; a leading dot matched only
 * by a leading dot), sorted by code point as the shell sorts in the C locale. No `**` (sh reads
 * it as `*`) and no braces (bash expands them before globbing, unquoted). Node 20 has no
 * fs.glob (Node 22 has): this is the part of a glob package focal needs (bench/README.md,
 * decision log, 2026-11-30).
 */
import { readdir, stat } from 'node:fs/promises';

const MAGIC = /[*?[]/;

/** `base/name` as the user typed the base (`./x` stays `./x`, as the shell keeps it). */
function join(base: string, name: string): string {
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}

/** Whether a path has glob characters (only then is it expanded). */
export function isGlob(path: string): boolean {
  return MAGIC.test(path);
}

/** One path segment's pattern as a regular expression. */
export function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/**
 * The paths that `pattern` matches, sorted; empty when none. Directories along the way that
 * cannot be read match nothing (as in the shell).
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let bases: string[] = [absolute ? '/' : ''];
  if (absolute) segments.shift();
  for (const [k, segment] of segments.entries()) {
    const last = k === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!isGlob(segment)) {
        next.push(base === '' ? segment : join(base, segment));
        continue;
      }
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(base === '' ? '.' : base, { withFileTypes: true });
      } catch {
        continue;
      }
      const re = segmentPattern(segment);
      for (const entry of entries) {
        if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
        if (!re.test(entry.name)) continue;
        if (!last && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
        next.push(base === '' ? entry.name : join(base, entry.name));
      }
    }
    bases = next;
  }
  // Literal segments after a glob may name nothing: keep what exists.
  const found: string[] = [];
  for (const path of bases) {
    try {
      await stat(path);
      found.push(path);
    } catch {}
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
