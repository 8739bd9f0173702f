// A file the CLI was told to read (or write) that the system refused: the file and the reason in
// both languages, exit code 2 like a missing file (cli/output.ts). No heavy imports: the measure
// commands load this without the database.
import type { Msg } from '../domain/errors.js';

/** The reason for the common errno codes of file access. */
const REASONS: Record<string, Msg> = {
  EACCES: { zh: '没有权限（权限不足）', en: 'permission denied' },
  EPERM: { zh: '操作不被允许', en: 'operation not permitted' },
  EISDIR: { zh: '这是目录，不是文件', en: 'it is a directory, not a file' },
  ENOTDIR: { zh: '路径中有一段不是目录', en: 'a part of the path is not a directory' },
  ELOOP: { zh: '符号链接层数过多', en: 'too many levels of symbolic links' },
  ENAMETOOLONG: { zh: '文件名过长', en: 'the file name is too long' },
  EMFILE: { zh: '打开的文件过多', en: 'too many open files' },
  ENFILE: { zh: '系统打开的文件过多', en: 'too many open files in the system' },
  EIO: { zh: '磁盘读写错误', en: 'input/output error' },
  EBUSY: { zh: '文件正被占用', en: 'the file is busy' },
  EROFS: { zh: '文件系统只读', en: 'read-only file system' },
  ENOSPC: { zh: '磁盘空间不足', en: 'no space left on the device' },
};

/** The reason for an errno code; null for a code that is not about file access. */
export function fileReason(code: string | undefined): Msg | null {
  return (code && REASONS[code]) || null;
}

export class FileError extends Error {
  readonly code: string;
  readonly reason: Msg;

  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
    readonly verb: 'read' | 'write' = 'read',
  ) {
    const code = cause.code ?? 'EUNKNOWN';
    const reason = fileReason(code) ?? { zh: `${code}：${cause.message}`, en: `${code}: ${cause.message}` };
    super(`${path}: ${reason.en}`, { cause });
    this.code = code;
    this.reason = reason;
  }

  /** The message printed for it: file, reason, Chinese first. */
  get msg(): Msg {
    return this.verb === 'read'
      ? { zh: `无法读取文件 ${this.path}：${this.reason.zh}`, en: `Cannot read the file ${this.path}: ${this.reason.en}` }
      : { zh: `无法写入文件 ${this.path}：${this.reason.zh}`, en: `Cannot write the file ${this.path}: ${this.reason.en}` };
  }
}
