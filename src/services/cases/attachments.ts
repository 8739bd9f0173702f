// Files attached to case steps (application form, minutes, notice photo, …): uploaded to a case
// first, then named by id in a step. Kept in case_attachments with their sha256; never changed.
import { createHash } from 'node:crypto';
import { Conflict, NotFound, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { ATTACHMENT_KINDS } from '../../domain/workflows/index.js';
import { audit, require, type Ctx } from '../context.js';
import { caseAttachments, type AttachmentView } from './view.js';
import { loadCase } from './shared.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface NewAttachment {
  caseId: number;
  kind: string;
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

const ATTACHMENT = { zh: '附件', en: 'attachment' };

export async function addAttachment(ctx: Ctx, a: NewAttachment): Promise<AttachmentView> {
  require(ctx, 'register.write');
  const issues: FieldIssue[] = [];
  if (!Object.hasOwn(ATTACHMENT_KINDS, a.kind)) {
    const kinds = Object.entries(ATTACHMENT_KINDS);
    issues.push({ field: 'kind', value: a.kind, zh: `附件类型「${a.kind}」无效；可选：${kinds.map(([k, t]) => `${k}（${t.zh}）`).join('、')}`, en: `Unknown attachment kind "${a.kind}"; use one of: ${kinds.map(([k, t]) => `${k} (${t.en})`).join(', ')}` });
  }
  if (a.bytes.byteLength === 0) issues.push({ field: 'file', zh: '文件为空，请选择要上传的文件', en: 'The file is empty; choose the file to upload' });
  if (a.bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    issues.push({ field: 'file', value: String(a.bytes.byteLength), zh: `文件过大（${(a.bytes.byteLength / 1048576).toFixed(1)} MB），附件最大 10 MB；请压缩或拆分后上传`, en: `The file is too large (${(a.bytes.byteLength / 1048576).toFixed(1)} MB); attachments are at most 10 MB — compress or split it` });
  }
  const filename = a.filename.trim();
  if (!filename || filename.length > 255) issues.push({ field: 'filename', value: filename.slice(0, 40), zh: '文件名应为 1–255 个字符', en: 'The file name must be 1–255 characters' });
  const mime = a.mime.trim() || 'application/octet-stream';
  if (mime.length > 100) issues.push({ field: 'mime', zh: '文件类型（MIME）过长，最多 100 个字符', en: 'The MIME type is too long (at most 100 characters)' });
  if (issues.length) throw new ValidationError(issues);
  const sha256 = createHash('sha256').update(a.bytes).digest('hex');
  return ctx.db.transaction(async (tx) => {
    const c = await loadCase(tx, ctx, a.caseId, true);
    if (c.closed) {
      throw new Conflict({ zh: `案件 ${c.id} 已办结，不能再上传附件；如需纠错，请先按程序重新受理`, en: `Case ${c.id} is closed; no more attachments can be added — reopen it first if it needs correcting` }, { id: c.id, state: c.state, seq: c.seq });
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO case_attachments (county_code, case_id, kind, filename, mime, size, sha256, content, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [c.countyCode, c.id, a.kind, filename, mime, a.bytes.byteLength, sha256, Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength), ctx.actor.username],
    );
    await audit(tx, ctx.actor, {
      action: 'create', entity: 'case_attachments', entityId: row!.id, countyCode: c.countyCode, householdId: c.householdId,
      after: { caseId: c.id, kind: a.kind, filename, mime, size: a.bytes.byteLength, sha256 },
    });
    const list = await caseAttachments(tx, c);
    return list.find((x) => x.id === row!.id)!;
  });
}

export interface AttachmentFile {
  id: number;
  kind: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

/** A file of the case, or one another case of the same batch uploaded and this case's steps used. */
export async function getAttachment(ctx: Ctx, caseId: number, attachmentId: number): Promise<AttachmentFile> {
  require(ctx, 'register.read');
  const c = await loadCase(ctx.db, ctx, caseId);
  if (!Number.isSafeInteger(attachmentId) || attachmentId <= 0) throw new NotFound(ATTACHMENT);
  const [row] = await ctx.db.query<Omit<AttachmentFile, 'bytes'> & { content: Uint8Array }>(
    `SELECT a.id, a.kind, a.filename, a.mime, a.size, a.sha256, a.content FROM case_attachments a
      WHERE a.county_code = $1 AND a.id = $3 AND (a.case_id = $2 OR EXISTS (SELECT 1 FROM case_events e WHERE e.county_code = $1 AND e.case_id = $2
        AND e.attachments @> jsonb_build_array(jsonb_build_object('id', a.id))))`,
    [c.countyCode, c.id, attachmentId],
  );
  if (!row) throw new NotFound(ATTACHMENT);
  const { content, ...meta } = row;
  return { ...meta, bytes: content };
}
