// The one way a route reads an uploaded file (multipart/form-data, one file in field "file"), and the
// one place its errors are told apart — by class, never by message text:
// - no file in the form: 400 naming the field;
// - @fastify/multipart's own errors (`req.server.multipartErrors`, each a FastifyError with a code and
//   status): a file over a route's own limit becomes that route's 400 when it gives one; the others
//   keep their status (413 for sizes and counts, worded in errors.ts; 406 not multipart, worded here;
//   400 premature close) ;
// - any other error the read raises comes from busboy parsing the body (no boundary, cut short,
//   a malformed part header: plain Errors without a code or status) or from the request stream
//   itself: the client's body is malformed, so 400, never 500.
import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError, ValidationError, type FieldIssue, type Msg } from '../domain/errors.js';

export interface Upload {
  filename: string;
  mime: string;
  bytes: Buffer;
  /** Form fields sent before the file (text values only). */
  fields: Record<string, string>;
}

export interface UploadOptions {
  /** A smaller file limit than the server's (bytes). */
  fileSize?: number;
  /** With fileSize: what to say when the file is over it (a 400 on field "file"); without, the server's 413. */
  tooLarge?: Msg;
}

const noFile: FieldIssue = { field: 'file', zh: '请以 multipart/form-data 上传文件（字段名 file）', en: 'Upload the file as multipart/form-data (field "file")' };

export const malformedUpload: FieldIssue = {
  field: 'file',
  zh: '上传的表单数据不完整或格式有误（multipart 边界缺失、内容被截断或分段头有误）；请重新选择文件上传',
  en: 'The upload is incomplete or malformed (multipart boundary missing, body cut short or a bad part header); choose the file and upload it again',
};

export class NotMultipart extends AppError {
  constructor() {
    super(406, 'not_multipart', {
      zh: '此地址只接受 multipart/form-data 上传（字段名 file）',
      en: 'This address accepts only a multipart/form-data upload (field "file")',
    });
  }
}

/** Reads the upload into memory. Every error of the read is mapped here (see the top of the file). */
export async function readUpload(req: FastifyRequest, opts: UploadOptions = {}): Promise<Upload> {
  const errors = req.server.multipartErrors;
  let file: MultipartFile | undefined;
  try {
    file = await req.file(opts.fileSize !== undefined ? { limits: { fileSize: opts.fileSize, files: 1 } } : undefined);
    if (!file) throw new ValidationError([noFile]);
    const bytes = await file.toBuffer();
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(file.fields)) {
      const f = Array.isArray(v) ? v[0] : v;
      if (f && f.type === 'field' && typeof f.value === 'string') fields[k] = f.value;
    }
    return { filename: file.filename, mime: file.mimetype, bytes, fields };
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof errors.RequestFileTooLargeError && opts.fileSize !== undefined && opts.tooLarge) {
      throw new ValidationError([{ field: 'file', ...opts.tooLarge }]);
    }
    if (e instanceof errors.InvalidMultipartContentTypeError) throw new NotMultipart();
    if (Object.values(errors).some((E) => e instanceof E)) throw e; // their status stands (errors.ts)
    throw new ValidationError([malformedUpload]);
  }
}
