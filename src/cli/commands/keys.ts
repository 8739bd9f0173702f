// `jingzhun keys status|rotate` (services/sealing.ts): which key seals the personal data, and its
// rotation — every ID number, phone and second-factor secret re-sealed under a new key in one
// transaction. Stop the servers first: one still running with the old key refuses to start again.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseKey, SECRET_KEY_ENV } from '../../services/secret-box.js';
import { keyStatus, rotateKeys } from '../../services/sealing.js';
import { print, table } from '../output.js';
import { run, withDb } from '../shared.js';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('个人信息加密密钥 / the key that seals ID numbers and phones');

  keys
    .command('status')
    .description('当前密钥指纹与数据库记录的指纹 / fingerprint of the current key and of the key the data was sealed with')
    .option('--json', 'JSON output')
    .action(run(async (o: { json?: boolean }) => {
      // withDb migrates, which already refuses a key that does not match the data.
      const r = await withDb((db) => keyStatus(db));
      print(o, r, () => [
        `当前密钥 current key: ${r.fingerprint}（来自 from ${r.source}）`,
        `数据使用的密钥 data sealed with: ${r.sealedWith}（自 since ${r.since}）`,
        r.sealedWith === r.fingerprint ? '一致 / they match' : '不一致 / they differ',
      ].join('\n'));
    }));

  keys
    .command('rotate')
    .description('用新密钥重新加密全部身份证号、电话和动态验证码密钥（一个事务）/ re-seal everything under a new key, in one transaction')
    .option('--new-key-file <file>', '新密钥文件（64 位十六进制或 base64）；不给则随机生成 / file holding the new key (64 hex or base64); generated when omitted')
    .option('--json', 'JSON output')
    .action(run(async (o: { newKeyFile?: string; json?: boolean }) => {
      const next = o.newKeyFile ? parseKey(readFileSync(o.newKeyFile, 'utf8'), o.newKeyFile) : null;
      const r = await withDb((db) => rotateKeys(db, next));
      const rows = Object.entries(r.rows).map(([name, n]) => ({ name, rows: n }));
      print(o, r, () => [
        table(rows, [{ key: 'name', title: '表 table' }, { key: 'rows', title: '重新加密 re-sealed' }]),
        '',
        `密钥已轮换：${r.oldFingerprint} → ${r.newFingerprint} / key rotated`,
        ...(r.fromEnvironment
          ? [r.keyFile
            ? `新密钥已写入 ${r.keyFile}：请把 ${SECRET_KEY_ENV} 改为该文件的内容再启动服务，然后删除该文件 / the new key is in ${r.keyFile}: set ${SECRET_KEY_ENV} to its content before starting the servers, then delete the file`
            : `请把 ${SECRET_KEY_ENV} 改为 ${o.newKeyFile} 中的新密钥再启动服务 / set ${SECRET_KEY_ENV} to the new key from ${o.newKeyFile} before starting the servers`]
          : [`新密钥已写入 ${r.keyFile} / the new key is now in ${r.keyFile}`]),
        '旧密钥不再需要，但用它做的备份只能用它恢复 / the old key is no longer needed, except to restore backups taken under it',
      ].join('\n'));
    }));
}
