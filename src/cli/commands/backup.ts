// `jingzhun backup --out FILE` and `jingzhun restore FILE [--force]` (services/backup.ts) on the
// engine the configuration names: DATABASE_URL, else the PGlite data dir. Neither goes through
// withDb: a backup must not migrate first (a backup taken before an upgrade keeps the old schema),
// and a restore opens the database only after the file has been checked.
import type { Command } from 'commander';
import { backup, currentTarget, restore } from '../../services/backup.js';
import { shippedMigrations } from '../../services/backup-file.js';
import { print, table } from '../output.js';
import { run } from '../shared.js';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('备份整个数据库到一个文件（PGlite 数据目录或 pg_dump 格式）/ back up the whole database to one file')
    .requiredOption('--out <file>', '备份文件 / backup file')
    .option('--json', 'JSON output')
    .action(run(async (o: { out: string; json?: boolean }) => {
      const r = await backup(currentTarget(), o.out);
      print(o, r, () => [
        table(r.tables, [{ key: 'name', title: '表 table' }, { key: 'rows', title: '行数 rows' }]),
        '',
        `已备份 ${r.tables.length} 张表到 ${r.file}（${mb(r.bytes)}，sha256 ${r.sha256}），用时 ${r.seconds.toFixed(1)} 秒`,
        `backed up ${r.tables.length} tables (${r.engine}, ${r.schema.migrations} migrations${r.schema.lastTag ? `, ${r.schema.lastTag}` : ''}) to ${r.file} (${mb(r.bytes)}) in ${r.seconds.toFixed(1)} s`,
      ].join('\n'));
    }));

  program
    .command('restore')
    .description('从备份文件恢复数据库（先校验文件；恢复后逐表核对）/ restore the database from a backup file, verified table by table')
    .argument('<file>', '备份文件 / backup file')
    .option('--force', '替换已有数据（PGlite：原数据目录改名保留）/ replace existing data (PGlite: the old data dir is renamed and kept)')
    .option('--json', 'JSON output')
    .action(run(async (file: string, o: { force?: boolean; json?: boolean }) => {
      const r = await restore(currentTarget(), file, { force: o.force });
      print(o, r, () => [
        table(r.tables.map((t) => ({ ...t, check: t.ok ? '✓' : '✗' })), [
          { key: 'name', title: '表 table' }, { key: 'expectedRows', title: '备份 backup' }, { key: 'rows', title: '恢复 restored' }, { key: 'check', title: '核对 check' },
        ]),
        '',
        ...(r.movedAside ? [`原数据目录已改名保留 / the previous data dir was kept as ${r.movedAside}`] : []),
        `已从 ${r.file}（${r.createdAt}）恢复 ${r.tables.length} 张表，行数与校验和一致，用时 ${r.seconds.toFixed(1)} 秒`,
        `restored ${r.tables.length} tables from ${r.file} (taken ${r.createdAt}); every row count and checksum matches; ${r.seconds.toFixed(1)} s`,
        ...(r.schema.migrations < shippedMigrations().length ? ['备份的数据库结构较旧，下次启动会迁移到本程序的版本 / the backup has an older schema: the next start migrates it to this build'] : []),
      ].join('\n'));
    }));
}
