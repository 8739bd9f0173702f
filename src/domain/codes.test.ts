import { describe, expect, it } from 'vitest';
import { codeLists, findCode, isCode, labelOf, type CodeListKey } from './codes.js';

const keys = Object.keys(codeLists) as CodeListKey[];

describe('codeLists', () => {
  it('has all eleven lists, each keyed by its own key', () => {
    expect(keys.sort()).toEqual(
      ['attribute', 'cause', 'disabilityGrade', 'education', 'ethnicity', 'exitStatus', 'health', 'labourAbility', 'relation', 'sex', 'studentStatus'],
    );
    for (const k of keys) expect(codeLists[k].key).toBe(k);
  });

  it.each(keys)('%s: non-empty, labelled, unique codes and unique zh/en labels', (k) => {
    const l = codeLists[k];
    expect(l.zh).not.toBe('');
    expect(l.en).not.toBe('');
    expect(l.items.length).toBeGreaterThan(0);
    for (const i of l.items) {
      expect(i.code).toMatch(/^\d{1,2}$/);
      expect(i.zh.trim()).not.toBe('');
      expect(i.en.trim()).not.toBe('');
    }
    const uniq = (xs: string[]) => new Set(xs).size === xs.length;
    expect(uniq(l.items.map((i) => i.code))).toBe(true);
    expect(uniq(l.items.map((i) => i.zh))).toBe(true);
    expect(uniq(l.items.map((i) => i.en.toLowerCase()))).toBe(true);
  });

  it('has the 56 ethnic groups with codes 01–56, plus 97 and 98', () => {
    const items = codeLists.ethnicity.items;
    const groups = items.filter((i) => Number(i.code) <= 56);
    expect(groups).toHaveLength(56);
    expect(groups.map((i) => i.code)).toEqual(Array.from({ length: 56 }, (_, n) => String(n + 1).padStart(2, '0')));
    expect(groups.every((i) => i.zh.endsWith('族'))).toBe(true);
    expect(labelOf('ethnicity', '01')).toBe('汉族');
    expect(labelOf('ethnicity', '02')).toBe('蒙古族');
    expect(labelOf('ethnicity', '03')).toBe('回族');
    expect(labelOf('ethnicity', '11')).toBe('满族');
    expect(labelOf('ethnicity', '56')).toBe('基诺族');
    expect(isCode('ethnicity', '97')).toBe(true);
    expect(isCode('ethnicity', '98')).toBe(true);
  });

  it('uses the domain codes for exit status, relation and causes', () => {
    expect(codeLists.exitStatus.items.map((i) => i.code)).toEqual(['0', '1', '3', '4']);
    expect(labelOf('exitStatus', '3')).toBe('返贫');
    expect(labelOf('relation', '01')).toBe('户主');
    expect(labelOf('relation', '02')).toBe('配偶');
    expect(labelOf('relation', '99')).toBe('其他');
    expect(codeLists.cause.items.map((i) => i.code)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']);
    expect(labelOf('cause', '11')).toBe('自身发展动力不足');
    expect(codeLists.attribute.items).toHaveLength(6);
    expect(codeLists.studentStatus.items.map((i) => i.code)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });
});

describe('findCode', () => {
  it('finds by code', () => {
    expect(findCode('attribute', '2')?.zh).toBe('低保贫困户');
    expect(findCode('studentStatus', '10')?.zh).toBe('高职/大专');
    expect(findCode('cause', ' 01 ')?.zh).toBe('因病');
  });

  it('finds by Chinese label, trimmed, with full-width or half-width brackets', () => {
    expect(findCode('exitStatus', '已脱贫(享受政策)')?.code).toBe('1');
    expect(findCode('exitStatus', '已脱贫（不再享受政策）')?.code).toBe('4');
    expect(findCode('relation', ' 之孙女\u3000')?.code).toBe('08');
    expect(findCode('ethnicity', '蒙古族')?.code).toBe('02');
    expect(findCode('ethnicity', '蒙古')?.code).toBe('02');
    expect(findCode('labourAbility', '丧失劳动力')?.code).toBe('3');
  });

  it('finds by English label, case-insensitively', () => {
    expect(findCode('sex', 'female')?.code).toBe('2');
    expect(findCode('sex', 'MALE')?.code).toBe('1');
    expect(findCode('health', 'long-term chronic illness')?.code).toBe('2');
    expect(findCode('ethnicity', 'Mongolian')?.code).toBe('02');
    expect(findCode('ethnicity', 'mongol')?.code).toBe('02');
    expect(findCode('ethnicity', 'zang (tibetan)')?.code).toBe('04');
    expect(findCode('ethnicity', 'Tibetan')?.code).toBe('04');
  });

  it('reads a two-digit code whose leading zero Excel dropped', () => {
    expect(findCode('relation', '1')?.zh).toBe('户主');
    expect(findCode('ethnicity', '2')?.zh).toBe('蒙古族');
    // lists with one-digit codes are not padded
    expect(findCode('sex', '01')).toBeUndefined();
  });

  it('returns undefined for unknown input', () => {
    expect(findCode('sex', '3')).toBeUndefined();
    expect(findCode('sex', '')).toBeUndefined();
    expect(findCode('cause', '因穷')).toBeUndefined();
    expect(findCode('exitStatus', '2')).toBeUndefined();
  });
});

describe('labelOf and isCode', () => {
  it('labels in Chinese by default and in English on request', () => {
    expect(labelOf('sex', '1')).toBe('男');
    expect(labelOf('sex', '2', 'en')).toBe('Female');
    expect(labelOf('disabilityGrade', '4')).toBe('四级残疾');
  });

  it('returns the code itself when unknown', () => {
    expect(labelOf('cause', '77')).toBe('77');
    expect(labelOf('cause', '')).toBe('');
  });

  it('isCode accepts exact codes only', () => {
    expect(isCode('relation', '01')).toBe(true);
    expect(isCode('relation', '1')).toBe(false);
    expect(isCode('relation', '户主')).toBe(false);
    expect(isCode('education', '7')).toBe(true);
    expect(isCode('education', '8')).toBe(false);
  });
});
