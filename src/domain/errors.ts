// Typed errors, turned into HTTP responses in http/errors.ts and CLI messages in cli/output.ts.

/** A bilingual message: Chinese first, English second. */
export interface Msg {
  zh: string;
  en: string;
}

export interface FieldIssue extends Msg {
  /** Field path, e.g. `members.2.idNumber` or a template column name. */
  field: string;
  /** 1-based spreadsheet row (header is row 1), when the issue comes from a file. */
  row?: number;
  /** Spreadsheet column header, when the issue comes from a file. */
  column?: string;
  /** The offending value as received, for display. */
  value?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: Msg,
  ) {
    super(`${msg.zh} / ${msg.en}`);
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly issues: FieldIssue[],
    msg: Msg = { zh: '输入有误，请按提示修改后重试', en: 'The input is invalid; correct the fields listed and try again' },
  ) {
    super(400, 'validation_failed', msg);
  }
}

export class NotFound extends AppError {
  constructor(what: Msg = { zh: '记录', en: 'record' }) {
    super(404, 'not_found', {
      zh: `未找到该${what.zh}，或您无权查看`,
      en: `No such ${what.en}, or it is outside your area`,
    });
  }
}

export class Forbidden extends AppError {
  constructor(msg: Msg = { zh: '您的角色无权执行此操作', en: 'Your role may not do this' }) {
    super(403, 'forbidden', msg);
  }
}

export class Unauthorized extends AppError {
  constructor(msg: Msg = { zh: '请先登录', en: 'Please log in' }) {
    super(401, 'unauthorized', msg);
  }
}

export class Conflict extends AppError {
  constructor(
    msg: Msg,
    /** The current state, so the client can show what changed. */
    readonly current?: unknown,
  ) {
    super(409, 'conflict', msg);
  }
}
