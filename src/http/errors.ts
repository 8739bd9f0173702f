// The one place where errors become HTTP responses: { error: { code, zh, en, issues? } }.
// Clients never see stack traces; unexpected errors are logged and answered with 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, Conflict, ValidationError, type FieldIssue } from '../domain/errors.js';
import { formatBytes } from './security.js';

interface ZodLikeIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

function zodIssueToField(i: ZodLikeIssue, part: string): FieldIssue {
  const field = i.instancePath.replace(/^\//, '').replaceAll('/', '.') || part;
  const p = i.params;
  let zh: string;
  let en: string;
  switch (i.keyword) {
    case 'invalid_type':
      zh = p.input === undefined ? `缺少必填项 ${field}` : `${field} 的类型不对，应为 ${String(p.expected)}`;
      en = p.input === undefined ? `${field} is required` : `${field} should be ${String(p.expected)}`;
      break;
    case 'too_small':
      zh = `${field} 太小或太短（最小 ${String(p.minimum)}）`;
      en = `${field} is too small or short (minimum ${String(p.minimum)})`;
      break;
    case 'too_big':
      zh = `${field} 太大或太长（最大 ${String(p.maximum)}）`;
      en = `${field} is too big or long (maximum ${String(p.maximum)})`;
      break;
    case 'invalid_value':
      zh = `${field} 的取值无效，可选：${Array.isArray(p.values) ? p.values.join('、') : ''}`;
      en = `${field} has an invalid value; allowed: ${Array.isArray(p.values) ? p.values.join(', ') : ''}`;
      break;
    case 'invalid_format':
      zh = `${field} 格式不对`;
      en = `${field} has the wrong format`;
      break;
    case 'unrecognized_keys':
      zh = `不认识的字段：${Array.isArray(p.keys) ? p.keys.join('、') : ''}`;
      en = `Unknown fields: ${Array.isArray(p.keys) ? p.keys.join(', ') : ''}`;
      break;
    default:
      zh = `${field} 无效：${i.message}`;
      en = `${field} is invalid: ${i.message}`;
  }
  return { field, zh, en };
}

export function errorBody(e: AppError) {
  return {
    error: {
      code: e.code,
      zh: e.msg.zh,
      en: e.msg.en,
      ...(e instanceof ValidationError ? { issues: e.issues } : {}),
      ...(e instanceof Conflict && e.current !== undefined ? { current: e.current } : {}),
    },
  };
}

/** 413: which limit, in both languages. */
function tooLarge(err: FastifyError, req: FastifyRequest) {
  const limits = (req.server as { sizeLimits?: { body: number; upload: number } }).sizeLimits;
  const upload = err.code === 'FST_REQ_FILE_TOO_LARGE';
  if (upload || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || !err.code?.startsWith('FST_')) {
    const max = limits ? formatBytes(upload ? limits.upload : limits.body) : '';
    return {
      error: {
        code: upload ? 'file_too_large' : 'body_too_large',
        zh: upload ? `上传的文件太大（上限 ${max}）；请拆分文件后分批导入` : `请求内容太大（上限 ${max}）`,
        en: upload ? `The uploaded file is too large (limit ${max}); split it and import the parts` : `The request body is too large (limit ${max})`,
      },
    };
  }
  // Multipart part, field and file counts.
  return { error: { code: 'too_many_parts', zh: '表单的字段或文件太多：请只上传一个文件（字段名 file）', en: 'Too many form fields or files: upload one file (field "file")' } };
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const part = err.validationContext ?? 'body';
    const issues = (err.validation as unknown as ZodLikeIssue[]).map((i) => zodIssueToField(i, part));
    return reply.code(400).send(errorBody(new ValidationError(issues)));
  }
  if (err instanceof AppError) return reply.code(err.status).send(errorBody(err));
  // (A malformed multipart body is mapped where uploads are read: http/upload.ts.)
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (status === 413) return reply.code(413).send(tooLarge(err, req));
  if (status < 500) {
    // Fastify's and its plugins' own 4xx (bad JSON, unsupported media type): their messages are
    // fixed texts, so say them plainly. Another library's message may quote internals: not echoed.
    const own = typeof err.code === 'string' && err.code.startsWith('FST_');
    return reply.code(status).send({
      error: own
        ? { code: err.code, zh: `请求无效：${err.message}`, en: `Bad request: ${err.message}` }
        : { code: 'bad_request', zh: '请求无效', en: 'Bad request' },
    });
  }
  // The log gets the error (logging.ts drops a driver's `detail`, which quotes row values); the
  // client gets a fixed text: no message, stack, SQL or constraint name.
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({
    error: { code: 'internal', zh: '服务器内部错误，已记录；请稍后重试或联系管理员', en: 'Internal error, logged; try again later or contact the administrator' },
  });
}
