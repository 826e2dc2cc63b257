// Writes the Parquet benchmark file (issue 17): N rows of `p` (float64) and `y` (int8, 10%
// positives), snappy, DuckDB's default row groups (122,880 rows), from a hash of the row number
// (the same file on every run, whatever DuckDB's threads do). Also its CSV twin with --csv.
//   node bench/generate_parquet.mjs N OUT.parquet [--csv OUT.csv] [--codec snappy]
import { DuckDBInstance } from '@duckdb/node-api';

const [n, out] = process.argv.slice(2);
const flag = (name) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const codec = flag('--codec') ?? 'snappy';
const db = await DuckDBInstance.create(':memory:');
const connection = await db.connect();
// u, v: two uniforms in [0, 1) from independent hashes of the row; positives score higher.
const rows = `SELECT
    CASE WHEN y = 1 THEN 1 - v * v ELSE u * u END AS p, y
  FROM (SELECT (hash(i, 1) % 10 = 0)::TINYINT AS y,
               (hash(i, 2) >> 11)::DOUBLE / 9007199254740992 AS u,
               (hash(i, 3) >> 11)::DOUBLE / 9007199254740992 AS v
        FROM range(${Number(n)}) t(i) ORDER BY i)`;
await connection.run(`COPY (${rows}) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`);
const csv = flag('--csv');
if (csv !== undefined) {
  // %.17g: the doubles exactly (DuckDB's own CSV writer prints the shortest round trip too).
  await connection.run(`COPY (SELECT * FROM read_parquet('${out}')) TO '${csv}' (HEADER)`);
}
connection.closeSync();
