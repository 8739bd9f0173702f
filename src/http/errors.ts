// The one place where errors become HTTP responses: { error: { code, zh, en, issues? } }.
// Clients never see stack traces; unexpected errors are logged and answered with 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, Conflict, ValidationError, type FieldIssue } from '../domain/errors.js';

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

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const part = err.validationContext ?? 'body';
    const issues = (err.validation as unknown as ZodLikeIssue[]).map((i) => zodIssueToField(i, part));
    return reply.code(400).send(errorBody(new ValidationError(issues)));
  }
  if (err instanceof AppError) return reply.code(err.status).send(errorBody(err));
  const status = err.statusCode ?? 500;
  if (status < 500) {
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type): say it plainly.
    return reply.code(status).send({
      error: { code: err.code ?? 'bad_request', zh: `请求无效：${err.message}`, en: `Bad request: ${err.message}` },
    });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.code(500).send({
    error: { code: 'internal', zh: '服务器内部错误，已记录；请稍后重试或联系管理员', en: 'Internal error, logged; try again later or contact the administrator' },
  });
}
