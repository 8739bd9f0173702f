// Reading any CSV for `jingzhun measure`: encodings, line numbers, strict numbers, columns and the
// option specs, each refusal checked for the words a person needs (line, column, value).
import iconv from 'iconv-lite';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { FileError } from './file-error.js';
import { reportError } from './output.js';
import {
  Problems, findColumns, kOption, lineOption, numberCell, parseFraction, parseIndicatorSpec, parseMeasureTable, parseNumber, readMeasureTable,
} from './measure-input.js';

function refusal(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

const csv = (text: string, file = 't.csv') => parseMeasureTable(Buffer.from(text, 'utf8'), file);

describe('numbers', () => {
  it('accepts plainly written finite numbers', () => {
    expect(['1234.5', '-3', ' 7 ', '+2', '1e3', '.5', '5.', '0'].map(parseNumber)).toEqual([1234.5, -3, 7, 2, 1000, 0.5, 5, 0]);
  });

  it('refuses separators, units, words and other notations', () => {
    for (const s of ['1,234', '1 234', '12元', 'NaN', 'Infinity', '0x10', '', '１２', '1e999', '--1', '是']) expect(parseNumber(s), s).toBeUndefined();
  });

  it('reads fractions for k and weights', () => {
    expect(parseFraction('1/3')).toBeCloseTo(1 / 3, 15);
    expect(parseFraction(' 2 / 4 ')).toBe(0.5);
    expect(parseFraction('0.25')).toBe(0.25);
    for (const s of ['1/0', 'a/3', '1/3/4', '']) expect(parseFraction(s), s).toBeUndefined();
  });
});

describe('the table', () => {
  it('reads UTF-8 with a BOM and GBK alike', () => {
    const text = '户主,人均纯收入\n张三,3000\n李四,5200.5\n';
    const bom = parseMeasureTable(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'bom.csv');
    const gbk = parseMeasureTable(iconv.encode(text, 'gbk'), 'gbk.csv');
    expect(bom.encoding).toBe('utf-8-bom');
    expect(gbk.encoding).toBe('gbk');
    for (const t of [bom, gbk]) {
      expect(t.headers).toEqual(['户主', '人均纯收入']); // the BOM is not part of the first header
      expect(t.rows).toEqual([{ line: 2, cells: ['张三', '3000'] }, { line: 3, cells: ['李四', '5200.5'] }]);
    }
  });

  it('numbers rows by file line, header included, skipping blank lines and empty rows', () => {
    // line 1 header, 2 blank, 3 a record whose quoted cell spans lines 3–4, 5 ",,", 6 a record, no final newline
    for (const eol of ['\r\n', '\n']) {
      const t = csv(['name,income,note', '', 'a,1,"two', 'lines"', ',,', 'b,2,x'].join(eol));
      expect(t.headerLine).toBe(1);
      expect(t.rows.map((r) => [r.line, r.cells[0]])).toEqual([[3, 'a'], [6, 'b']]);
    }
    // blank lines before the header move it, and the rows keep their file lines
    const t = csv('\n\nname,income\n\na,1\n');
    expect(t.headerLine).toBe(3);
    expect(t.rows).toEqual([{ line: 5, cells: ['a', '1'] }]);
  });

  it('refuses an empty file, a file with only a header and bad quotes', () => {
    expect(refusal(() => csv('')).msg).toEqual({ zh: '文件为空：t.csv（需要一行表头和至少一行数据）', en: 'The file is empty: t.csv (a header row and at least one data row are needed)' });
    expect(refusal(() => csv(' \n\n')).msg.en).toContain('The file is empty');
    expect(refusal(() => csv('a,b\n')).msg).toEqual({ zh: 't.csv 只有表头，没有数据行', en: 't.csv has a header row but no data rows' });
    const q = refusal(() => csv('a,b\n1,"2\n3,4\n'));
    expect(q.msg.zh).toContain('t.csv 不是有效的 CSV');
    expect(q.msg.en).toContain('unbalanced quotes or bad format near line');
  });

  it('keeps a missing file as ENOENT (exit code 2 in the CLI)', () => {
    expect(() => readMeasureTable('/nonexistent/x.csv')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('names the file and the reason when it cannot be read (a directory, no permission), exit code 2', () => {
    let err: unknown;
    try {
      readMeasureTable('src');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileError);
    expect(err).toMatchObject({ code: 'EISDIR', path: 'src' });
    expect((err as FileError).msg).toEqual({ zh: '无法读取文件 src：这是目录，不是文件', en: 'Cannot read the file src: it is a directory, not a file' });
    // EACCES cannot be provoked as root: the error readFileSync gives, made by hand.
    const eacces = Object.assign(new Error("EACCES: permission denied, open 'secret.csv'"), { code: 'EACCES', errno: -13, syscall: 'open', path: 'secret.csv' });
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(reportError(new FileError('secret.csv', eacces))).toBe(2);
      expect(reportError(eacces)).toBe(2); // the same errno error from another command's file
      expect(reportError(err)).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual([
      '错误：无法读取文件 secret.csv：没有权限（权限不足）\nError: Cannot read the file secret.csv: permission denied\n',
      '错误：无法访问文件 secret.csv：没有权限（权限不足）\nError: Cannot access the file secret.csv: permission denied\n',
      '错误：无法读取文件 src：这是目录，不是文件\nError: Cannot read the file src: it is a directory, not a file\n',
    ]);
    expect(written.join('')).not.toContain('Internal error');
  });

  it('names an unknown column and lists the ones there are; refuses an ambiguous one', () => {
    const t = csv('name, income ,town,town\na,1,X,Y\n');
    expect(findColumns(t, [{ option: '--income', name: 'income' }])).toEqual([{ option: '--income', name: 'income', index: 1 }]);
    const e = refusal(() => findColumns(t, [{ option: '--income', name: 'incme' }, { option: '--by', name: 'town' }]));
    expect(e.issues).toEqual([
      { field: '--income', zh: '找不到列「incme」（--income）；t.csv 中的列：name、income、town、town', en: 'No column "incme" (--income); the columns of t.csv are: name, income, town, town', value: '"incme"' },
      { field: '--by', zh: '列名「town」（--by）在表头中出现了 2 次（第 3、4 列），无法确定用哪一列', en: 'The column name "town" (--by) occurs 2 times in the header (columns 3, 4); which one is meant?', value: '"town"' },
    ]);
    expect(e.msg.zh).toBe('找不到列「incme」（--income）；t.csv 中的列：name、income、town、town（另有 1 处）');
  });

  it('names the line, column and value of a bad cell, and says the line counts the header', () => {
    const t = csv('name,income\na,1\nb,1,234\nc,\nd,12元\n');
    const p = new Problems(t);
    const col = { option: '--income', name: 'income', index: 1 };
    expect(t.rows.map((r) => numberCell(p, r, col))).toEqual([1, 1, Number.NaN, Number.NaN]); // "1,234" is two cells: 1 and an extra 234
    const e = refusal(() => p.throwIfAny());
    expect(e.issues).toEqual([
      { field: 'income', row: 4, column: 'income', zh: '空单元格：该列参与计算，每行都必须有值（请补全或删去该行）', en: 'empty cell: this column is used in the measure, so every row needs a value (fill it in or delete the row)' },
      { field: 'income', row: 5, column: 'income', zh: '不是数字（须为普通写法，如 1234.5 或 -3，不带千位分隔符、单位或空格）', en: 'not a number (write it plainly, e.g. 1234.5 or -3, without thousands separators, units or spaces)', value: '"12元"' },
    ]);
    expect(e.msg).toEqual({
      zh: 't.csv 第 4 行（文件行号，表头在第 1 行）「income」列：空单元格：该列参与计算，每行都必须有值（请补全或删去该行）（另有 1 处）',
      en: 't.csv, line 4 (file line, the header is line 1), column "income": empty cell: this column is used in the measure, so every row needs a value (fill it in or delete the row) (and 1 more)',
    });
  });

  it('refuses a quoted thousands separator with its value', () => {
    const t = csv('name,income\na,"1,234"\n');
    const p = new Problems(t);
    numberCell(p, t.rows[0]!, { option: '--income', name: 'income', index: 1 });
    expect(refusal(() => p.throwIfAny()).msg.en).toBe('t.csv, line 2 (file line, the header is line 1), column "income": not a number (write it plainly, e.g. 1234.5 or -3, without thousands separators, units or spaces): "1,234"');
  });
});

describe('options', () => {
  const check = (f: (p: Problems) => unknown) => {
    const p = new Problems();
    const v = f(p);
    return { v, issues: p.list };
  };

  it('reads the poverty line, refusing a missing, non-numeric or non-positive one', () => {
    expect(check((p) => lineOption(p, '2300')).v).toBe(2300);
    expect(check((p) => lineOption(p, undefined)).issues).toEqual([
      { field: '--line', zh: '缺少 --line：请给出贫困线（与收入同一单位，大于 0）', en: '--line is missing: give the poverty line (in the unit of the incomes, above 0)' },
    ]);
    expect(check((p) => lineOption(p, '2,300')).issues[0]).toMatchObject({ zh: '贫困线 --line 应为数字，收到 "2,300"', en: 'The poverty line --line must be a number; got "2,300"' });
    expect(check((p) => lineOption(p, '0')).issues[0]).toMatchObject({ zh: '贫困线 --line 必须大于 0，收到 0', en: 'The poverty line --line must be above 0; got 0' });
    expect(check((p) => lineOption(p, '-5')).issues[0]!.en).toBe('The poverty line --line must be above 0; got -5');
  });

  it('reads k as a decimal or a fraction in (0, 1]', () => {
    expect(check((p) => kOption(p, '1/3')).v).toBeCloseTo(1 / 3, 15);
    expect(check((p) => kOption(p, '1')).v).toBe(1);
    expect(check((p) => kOption(p, undefined, 0.25)).v).toBe(0.25);
    for (const k of ['0', '1.5', '-0.2', 'half', '4/3']) {
      expect(check((p) => kOption(p, k)).issues, k).toEqual([{
        field: '--k', value: JSON.stringify(k),
        zh: `--k 必须满足 0 < k ≤ 1（占指标总权重的份额，如 1/3 或 0.5），收到 ${JSON.stringify(k)}`,
        en: `--k must satisfy 0 < k ≤ 1 (a share of the total indicator weight, e.g. 1/3 or 0.5); got ${JSON.stringify(k)}`,
      }]);
    }
    expect(check((p) => kOption(p, undefined)).issues[0]!.zh).toMatch(/^缺少 --k：/);
  });

  it('reads indicator specs COLUMN:CUTOFF[:WEIGHT][:cardinal]', () => {
    expect(check((p) => parseIndicatorSpec(p, 'income:500')).v).toEqual({ spec: 'income:500', column: 'income', cutoff: 500, cardinal: false });
    expect(check((p) => parseIndicatorSpec(p, '人均纯收入:4000:1/4:cardinal')).v).toEqual({ spec: '人均纯收入:4000:1/4:cardinal', column: '人均纯收入', cutoff: 4000, weight: 0.25, cardinal: true });
    expect(check((p) => parseIndicatorSpec(p, 'water:1:cardinal')).v).toMatchObject({ column: 'water', cutoff: 1, cardinal: true });
    expect(check((p) => parseIndicatorSpec(p, 'income')).issues).toEqual([{
      field: '--indicator', value: '"income"',
      zh: '--indicator "income" 格式有误：应为 列名:临界值[:权重][:cardinal]，如 income:500、income:500:0.25 或 income:500:0.25:cardinal（用英文冒号）',
      en: '--indicator "income": bad syntax; write COLUMN:CUTOFF[:WEIGHT][:cardinal], e.g. income:500, income:500:0.25 or income:500:0.25:cardinal',
    }]);
    expect(check((p) => parseIndicatorSpec(p, 'income：500')).issues[0]!.en).toContain('bad syntax');
    expect(check((p) => parseIndicatorSpec(p, 'a:1:2:3')).issues[0]!.en).toContain('bad syntax');
    expect(check((p) => parseIndicatorSpec(p, ':1')).issues[0]!.en).toContain('bad syntax');
    expect(check((p) => parseIndicatorSpec(p, 'income:five')).issues[0]!.en).toMatch(/^--indicator "income:five": the cut-off is not a number: "five"/);
    expect(check((p) => parseIndicatorSpec(p, 'income:5:heavy')).issues[0]!.zh).toMatch(/^--indicator "income:5:heavy" 的权重不是数字："heavy"/);
  });
});
