import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  WESTERN_PROVINCES,
  areaLevelNames,
  countyCodeOf,
  isWithin,
  levelOfCode,
  parentCodeOf,
  validateAreaRows,
  type AreaCsvRow,
} from './areas.js';

describe('areaLevelNames', () => {
  it('names all five levels in Chinese and English', () => {
    expect(areaLevelNames[1].zh).toBe('省');
    expect(areaLevelNames[2].zh).toBe('市');
    expect(areaLevelNames[3].zh).toBe('县级(旗县区)');
    expect(areaLevelNames[4].zh).toBe('乡级(苏木乡镇街道)');
    expect(areaLevelNames[5].zh).toBe('村级(嘎查村社区)');
    for (const l of [1, 2, 3, 4, 5] as const) expect(areaLevelNames[l].en).not.toBe('');
  });
});

describe('levelOfCode', () => {
  it('maps code lengths 2/4/6/9/12 to levels 1–5', () => {
    expect(levelOfCode('15')).toBe(1);
    expect(levelOfCode('1505')).toBe(2);
    expect(levelOfCode('150524')).toBe(3);
    expect(levelOfCode('150524100')).toBe(4);
    expect(levelOfCode('150524100001')).toBe(5);
  });
  it('rejects other lengths and non-digits', () => {
    for (const c of ['', '1', '150', '15052', '1505241', '15052410', '1505241000', '15052410000', '1505241000011']) {
      expect(levelOfCode(c)).toBeUndefined();
    }
    for (const c of ['1a', '15 5', ' 1505', '150524x', '-1', '１５', '15.0', '1e']) expect(levelOfCode(c)).toBeUndefined();
  });
});

describe('parentCodeOf', () => {
  it('cuts to the next shorter level', () => {
    expect(parentCodeOf('150524100001')).toBe('150524100');
    expect(parentCodeOf('150524100')).toBe('150524');
    expect(parentCodeOf('150524')).toBe('1505');
    expect(parentCodeOf('1505')).toBe('15');
    expect(parentCodeOf('15')).toBeUndefined();
  });
  it('is undefined for invalid codes', () => {
    expect(parentCodeOf('15052')).toBeUndefined();
    expect(parentCodeOf('abcd')).toBeUndefined();
  });
});

describe('countyCodeOf', () => {
  it('gives the first 6 digits for county, township and village codes', () => {
    expect(countyCodeOf('150524')).toBe('150524');
    expect(countyCodeOf('150524100')).toBe('150524');
    expect(countyCodeOf('150524100001')).toBe('150524');
  });
  it('is undefined above county level and for invalid codes', () => {
    expect(countyCodeOf('15')).toBeUndefined();
    expect(countyCodeOf('1505')).toBeUndefined();
    expect(countyCodeOf('1505241')).toBeUndefined();
  });
});

describe('isWithin', () => {
  it('accepts the scope itself and its descendants', () => {
    expect(isWithin('150524', '150524')).toBe(true);
    expect(isWithin('150524100001', '150524')).toBe(true);
    expect(isWithin('150524100', '1505')).toBe(true);
    expect(isWithin('1505', '15')).toBe(true);
    expect(isWithin('150524100001', '150524100001')).toBe(true);
  });
  it('rejects ancestors, siblings and invalid codes', () => {
    expect(isWithin('1505', '150524')).toBe(false);
    expect(isWithin('150525100001', '150524')).toBe(false);
    expect(isWithin('150524', '150524100')).toBe(false);
    expect(isWithin('1505241', '150524')).toBe(false);
    expect(isWithin('150524', '1505241')).toBe(false);
    expect(isWithin('150524', '')).toBe(false);
    expect(isWithin('', '15')).toBe(false);
  });
});

describe('WESTERN_PROVINCES', () => {
  it('lists the 12 western province-level units', () => {
    expect([...WESTERN_PROVINCES].sort()).toEqual(['15', '45', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65']);
    expect(WESTERN_PROVINCES).not.toContain('11');
    expect(Object.isFrozen(WESTERN_PROVINCES)).toBe(true);
  });
});

describe('validateAreaRows', () => {
  const good: AreaCsvRow[] = [
    { code: '15', name: '内蒙古自治区', level: '1', parent_code: '', is_western: '1' },
    { code: '1505', name: '通辽市', level: '2', parent_code: '15', is_western: '1' },
    { code: '150524', name: '库伦旗', level: '3', parent_code: '1505', is_western: '1' },
    { code: '150524100', name: '库伦镇', level: '4', parent_code: '150524', is_western: '1' },
    { code: '150524100001', name: '某嘎查', level: '5', parent_code: '150524100', is_western: '0' },
  ];

  it('accepts well-formed rows and normalises them', () => {
    const { rows, errors } = validateAreaRows(good);
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ code: '15', name: '内蒙古自治区', level: 1, parentCode: null, isWestern: true });
    expect(rows[4]).toEqual({ code: '150524100001', name: '某嘎查', level: 5, parentCode: '150524100', isWestern: false });
  });

  it('accepts rows whose parent is not in the file (the loader checks existence)', () => {
    const { rows, errors } = validateAreaRows([good[2]!]);
    expect(errors).toEqual([]);
    expect(rows[0]?.parentCode).toBe('1505');
  });

  it('accepts an empty file', () => {
    expect(validateAreaRows([])).toEqual({ rows: [], errors: [] });
  });

  it('trims surrounding whitespace', () => {
    const { rows, errors } = validateAreaRows([{ code: ' 150524 ', name: ' 库伦旗 ', level: ' 3', parent_code: '1505 ', is_western: ' 1 ' }]);
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ code: '150524', name: '库伦旗' });
  });

  function errorsFor(row: AreaCsvRow) {
    const r = validateAreaRows([row]);
    expect(r.rows).toEqual([]);
    return r.errors;
  }

  it('reports bad code shapes on the right row and column, in both languages', () => {
    const e = validateAreaRows([good[0]!, { ...good[2]!, code: '15052' }]);
    expect(e.rows).toHaveLength(1);
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]).toMatchObject({ row: 3, column: 'code' });
    expect(e.errors[0]?.zh).toContain('15052');
    expect(e.errors[0]?.zh).toContain('第 3 行');
    expect(e.errors[0]?.en).toContain('Row 3');
    expect(e.errors[0]?.en).toMatch(/2, 4, 6, 9 or 12 digits/);
    expect(errorsFor({ ...good[2]!, code: '15052a' })[0]?.column).toBe('code');
    expect(errorsFor({ ...good[2]!, code: '' })[0]?.en).toMatch(/empty/);
  });

  it('reports a level that does not match the code length', () => {
    const e = errorsFor({ ...good[2]!, level: '4' });
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ row: 2, column: 'level' });
    expect(e[0]?.en).toMatch(/level 4 does not match code 150524/);
    expect(e[0]?.en).toMatch(/level 3/);
  });

  it('reports a level that is not 1–5', () => {
    for (const level of ['', '0', '6', 'x', '03']) {
      const e = errorsFor({ ...good[2]!, level });
      expect(e.map((x) => x.column)).toEqual(['level']);
    }
  });

  it('requires the parent code to be the code cut to the parent level', () => {
    const wrong = errorsFor({ ...good[2]!, parent_code: '1504' });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ row: 2, column: 'parent_code' });
    expect(wrong[0]?.en).toContain('1505');
    const skip = errorsFor({ ...good[4]!, parent_code: '150524' });
    expect(skip[0]?.column).toBe('parent_code');
    const empty = errorsFor({ ...good[3]!, parent_code: '' });
    expect(empty[0]?.column).toBe('parent_code');
    expect(empty[0]?.en).toMatch(/empty/);
  });

  it('requires an empty parent code for a province', () => {
    const e = errorsFor({ ...good[0]!, parent_code: '00' });
    expect(e).toHaveLength(1);
    expect(e[0]?.column).toBe('parent_code');
  });

  it('requires a name', () => {
    const e = errorsFor({ ...good[1]!, name: '  ' });
    expect(e).toHaveLength(1);
    expect(e[0]?.column).toBe('name');
  });

  it('requires is_western to be 0 or 1', () => {
    for (const w of ['', 'yes', 'true', '2']) {
      const e = errorsFor({ ...good[1]!, is_western: w });
      expect(e.map((x) => x.column)).toEqual(['is_western']);
    }
  });

  it('reports duplicate codes, naming the first row', () => {
    const r = validateAreaRows([good[0]!, good[1]!, good[2]!, { ...good[1]!, name: '通辽' }]);
    expect(r.rows).toHaveLength(3);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 5, column: 'code' });
    expect(r.errors[0]?.en).toMatch(/duplicates row 3/);
    expect(r.errors[0]?.zh).toContain('第 3 行');
  });

  it('reports every problem in a row', () => {
    const e = errorsFor({ code: '1505', name: '', level: '3', parent_code: '16', is_western: 'n' });
    expect(e.map((x) => x.column).sort()).toEqual(['is_western', 'level', 'name', 'parent_code']);
    expect(e.every((x) => x.row === 2)).toBe(true);
  });

  it('reports missing header columns once, on row 1', () => {
    const r = validateAreaRows([{ code: '15', name: '内蒙古自治区', level: '1' }, { code: '1505', name: '通辽市', level: '2' }]);
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.row).toBe(1);
    expect(r.errors[0]?.en).toContain('parent_code, is_western');
  });
});

describe('data/areas-tongliao.csv', () => {
  const text = readFileSync(new URL('../../data/areas-tongliao.csv', import.meta.url), 'utf8');
  const records = parse(text, { columns: true, trim: true, bom: true }) as Record<string, string>[];
  const { rows, errors } = validateAreaRows(records);
  const count = (level: number) => rows.filter((r) => r.level === level).length;

  it('has the header code,name,level,parent_code,is_western', () => {
    expect(text.split('\n')[0]).toBe('code,name,level,parent_code,is_western');
  });

  it('validates with no errors', () => {
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(records.length);
  });

  it('holds Tongliao (NBS 2023): 1 province, 1 city, 9 county, 143 township, 2,568 village units', () => {
    expect(count(1)).toBe(1);
    expect(count(2)).toBe(1);
    expect(count(3)).toBe(9);
    expect(count(4)).toBe(143);
    expect(count(5)).toBe(2568);
    expect(rows.find((r) => r.level === 1)).toMatchObject({ code: '15', name: '内蒙古自治区' });
    expect(rows.find((r) => r.level === 2)).toMatchObject({ code: '1505', name: '通辽市', parentCode: '15' });
  });

  it('names 150524 库伦旗 and lists the nine county-level units', () => {
    expect(rows.find((r) => r.code === '150524')?.name).toBe('库伦旗');
    expect(rows.filter((r) => r.level === 3).map((r) => r.code)).toEqual([
      '150502', '150521', '150522', '150523', '150524', '150525', '150526', '150571', '150581',
    ]);
  });

  it('is sorted by code, every parent is present and precedes its children, and all are western', () => {
    const codes = rows.map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.parentCode) expect(seen.has(r.parentCode), `parent of ${r.code}`).toBe(true);
      seen.add(r.code);
      expect(isWithin(r.code, '15')).toBe(true);
    }
    expect(rows.every((r) => r.isWestern)).toBe(true);
  });
});
