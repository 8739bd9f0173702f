// `jingzhun audit verify`: recomputes the audit log's hash chain (services/audit.ts) and says whether
// it is whole; exit code 1 names the first row that is not. Chinese first, English second; --json for scripts.
import type { Command } from 'commander';
import { AUDIT_BAD_REASONS, verifyAudit, type AuditVerification } from '../../services/audit.js';
import { print, progress } from '../output.js';
import { run, withDb } from '../shared.js';

function verificationText(r: AuditVerification): string {
  const head = `链末 head: chain_seq ${r.head.seq ?? '—'}, id ${r.head.id ?? '—'}, sha256 ${r.head.hash ?? '—'}`;
  if (r.ok) {
    return [
      `审计日志完整：已校验 ${r.rows} 行，哈希链无断点 / Audit log OK: ${r.rows} rows checked, the hash chain is whole`,
      head,
      '请把链末哈希另行留存（如签字的报告），以便日后比对 / Keep the head hash elsewhere (e.g. a signed report) to compare later',
    ].join('\n');
  }
  if (r.firstBad) {
    const why = AUDIT_BAD_REASONS[r.firstBad.reason];
    return [
      `审计日志校验失败：第一处问题在 id ${r.firstBad.id ?? '—'}（chain_seq ${r.firstBad.seq ?? '—'}，已校验 ${r.rows} 行）/ ` +
        `Audit log verification FAILED at id ${r.firstBad.id ?? '—'} (chain_seq ${r.firstBad.seq ?? '—'}, ${r.rows} rows checked)`,
      `  ${why.zh}`,
      `  ${why.en}`,
      head,
    ].join('\n');
  }
  if (r.unsealed > 0) {
    return [
      `审计日志校验失败：${r.unsealed} 行没有哈希（已提交却未上链，触发器被关闭时写入？）/ ` +
        `Audit log verification FAILED: ${r.unsealed} committed rows have no hash (not sealed into the chain: written with the triggers off?)`,
      head,
    ].join('\n');
  }
  if (r.unchained !== null) {
    return [
      `审计日志校验失败：${r.rows} 行的链完整，但 id ${r.unchained} 等行不在链上（触发器被关闭时写入？）/ ` +
        `Audit log verification FAILED: the chain of ${r.rows} rows is whole, but rows such as id ${r.unchained} are not chained (written with the triggers off?)`,
      head,
    ].join('\n');
  }
  return [
    `审计日志校验失败：${r.rows} 行的链完整，但链末记录（audit_chain）与最后一行（id ${r.lastId ?? '—'}）不符 / ` +
      `Audit log verification FAILED: the chain of ${r.rows} rows is whole but the head (audit_chain) does not match the last row (id ${r.lastId ?? '—'})`,
    head,
  ].join('\n');
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('审计日志 / audit log');
  audit
    .command('verify')
    .description('校验审计日志的哈希链（只追加、未被改动或删除）/ verify the audit log hash chain (nothing edited or deleted)')
    .option('--json', 'JSON output')
    .action(run(async (o: { json?: boolean }) => {
      await withDb(async (_db, ctx) => {
        const bar = progress();
        let r: AuditVerification;
        try {
          r = await verifyAudit(ctx, { onProgress: (_rows, lastSeq, headSeq) => bar.update('verify', lastSeq, headSeq ?? lastSeq) });
        } finally {
          bar.stop();
        }
        print(o, r, () => verificationText(r));
        if (!r.ok) process.exitCode = 1;
      });
    }));
}
