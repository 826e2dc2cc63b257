// DuckDB as a contender (bench/parquet.mjs): runs the SQL in FILE (what `focal sql` prints) on
// @duckdb/node-api and prints the result as CSV. Its time includes Node's start and DuckDB's,
// as focal's includes its own.   node bench/duckdb-query.mjs QUERY.sql [--threads N]
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [file] = process.argv.slice(2);
const threads = process.argv.includes('--threads')
  ? process.argv[process.argv.indexOf('--threads') + 1]
  : undefined;
const db = await DuckDBInstance.create(':memory:', threads ? { threads } : {});
const connection = await db.connect();
const reader = await connection.runAndReadAll(readFileSync(file, 'utf8'));
const lines = [reader.columnNames().join(',')];
for (const row of reader.getRows())
  lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
process.stdout.write(`${lines.join('\n')}\n`);
connection.closeSync();
