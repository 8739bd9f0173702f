// Administrative divisions: NBS statistical division codes (统计用区划代码), pure helpers.
//
// A code's length gives its level: 2 province, 4 city (prefecture), 6 county (GB/T 2260),
// 9 township, 12 village. Each code begins with its parent's code, so the parent is the code
// cut to the next shorter length and a subtree is a code prefix.

/** 1 province, 2 city, 3 county level, 4 township level, 5 village level. */
export type AreaLevel = 1 | 2 | 3 | 4 | 5;

export const areaLevelNames: Record<AreaLevel, { zh: string; en: string }> = {
  1: { zh: '省', en: 'province' },
  2: { zh: '市', en: 'city' },
  3: { zh: '县级(旗县区)', en: 'county level (banner/county/district)' },
  4: { zh: '乡级(苏木乡镇街道)', en: 'township level (sumu/township/town/subdistrict)' },
  5: { zh: '村级(嘎查村社区)', en: 'village level (gacha/village/community)' },
};

/** Code length for each level. */
const LENGTHS: Record<AreaLevel, number> = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };
const LEVEL_BY_LENGTH = new Map<number, AreaLevel>([
  [2, 1],
  [4, 2],
  [6, 3],
  [9, 4],
  [12, 5],
]);

/**
 * Provinces of China's western region (西部地区, the Western Development strategy's 12
 * province-level units): 内蒙古, 广西, 重庆, 四川, 贵州, 云南, 西藏, 陕西, 甘肃, 青海, 宁夏, 新疆.
 */
export const WESTERN_PROVINCES: readonly string[] = Object.freeze([
  '15', '45', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
]);

/** The level of a division code, or undefined if it is not 2/4/6/9/12 ASCII digits. */
export function levelOfCode(code: string): AreaLevel | undefined {
  if (!/^[0-9]+$/.test(code)) return undefined;
  return LEVEL_BY_LENGTH.get(code.length);
}

/** The parent's code (12→9, 9→6, 6→4, 4→2), undefined for a province or an invalid code. */
export function parentCodeOf(code: string): string | undefined {
  const level = levelOfCode(code);
  if (level === undefined || level === 1) return undefined;
  return code.slice(0, LENGTHS[(level - 1) as AreaLevel]);
}

/** The county-level code (first 6 digits) for county, township and village codes. */
export function countyCodeOf(code: string): string | undefined {
  const level = levelOfCode(code);
  if (level === undefined || level < 3) return undefined;
  return code.slice(0, 6);
}

/** True when `code` is `scopeCode` itself or one of its descendants. Both must be valid codes. */
export function isWithin(code: string, scopeCode: string): boolean {
  const level = levelOfCode(code);
  const scopeLevel = levelOfCode(scopeCode);
  if (level === undefined || scopeLevel === undefined || level < scopeLevel) return false;
  return code.startsWith(scopeCode);
}

export interface AreaRow {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  isWestern: boolean;
}

export interface AreaRowError {
  /** 1-based file row: the header is row 1, so the first data row is row 2. */
  row: number;
  column: string;
  zh: string;
  en: string;
}

export type AreaCsvRow = {
  code?: string;
  name?: string;
  level?: string;
  parent_code?: string;
  is_western?: string;
};

export const AREA_COLUMNS = ['code', 'name', 'level', 'parent_code', 'is_western'] as const;

/**
 * Validates parsed CSV rows (columns code,name,level,parent_code,is_western). Returns the
 * rows that passed every check and one error per problem found. Callers should reject the
 * whole file when `errors` is non-empty.
 *
 * The parent code must be the code cut to its parent's length (empty for a province); whether
 * the parent exists is for the loader to check. `is_western` is taken as given (0/1): regions
 * outside the 12 western provinces may be treated as western by policy (比照西部).
 */
export function validateAreaRows(rows: AreaCsvRow[]): { rows: AreaRow[]; errors: AreaRowError[] } {
  const errors: AreaRowError[] = [];
  const out: AreaRow[] = [];

  const first = rows[0];
  if (first) {
    const missing = AREA_COLUMNS.filter((c) => !(c in first));
    if (missing.length) {
      const list = missing.join(', ');
      errors.push({
        row: 1,
        column: missing[0]!,
        zh: `第 1 行（表头）缺少列：${list}；表头应为 ${AREA_COLUMNS.join(',')}，请补全表头后重新导入`,
        en: `Row 1 (header) is missing column(s): ${list}; the header must be ${AREA_COLUMNS.join(',')}. Fix the header and load again`,
      });
      return { rows: [], errors };
    }
  }

  const firstRowOf = new Map<string, number>();
  rows.forEach((raw, i) => {
    const row = i + 2;
    const before = errors.length;
    const err = (column: string, zh: string, en: string) =>
      errors.push({ row, column, zh: `第 ${row} 行 ${column} 列：${zh}`, en: `Row ${row}, column ${column}: ${en}` });

    const code = (raw.code ?? '').trim();
    const name = (raw.name ?? '').trim();
    const levelText = (raw.level ?? '').trim();
    const parent = (raw.parent_code ?? '').trim();
    const western = (raw.is_western ?? '').trim();

    const level = levelOfCode(code);
    if (!code) {
      err('code', '区划代码为空；请填写 2、4、6、9 或 12 位数字代码', 'the division code is empty; enter a code of 2, 4, 6, 9 or 12 digits');
    } else if (level === undefined) {
      err(
        'code',
        `“${code}”不是有效的区划代码；代码应为 2、4、6、9 或 12 位数字（如 150524 库伦旗），请更正`,
        `"${code}" is not a division code; codes are 2, 4, 6, 9 or 12 digits (e.g. 150524 for Hure Banner). Correct it`,
      );
    } else {
      const seen = firstRowOf.get(code);
      if (seen !== undefined) {
        err(
          'code',
          `代码 ${code} 与第 ${seen} 行重复；每个区划只能出现一次，请删除或更正其中一行`,
          `code ${code} duplicates row ${seen}; each division may appear only once. Delete or correct one of the rows`,
        );
      } else {
        firstRowOf.set(code, row);
      }
    }

    if (!name) {
      err('name', '区划名称为空；请填写名称', 'the division name is empty; enter the name');
    }

    let levelNum: number | undefined;
    if (/^[1-5]$/.test(levelText)) levelNum = Number(levelText);
    if (levelNum === undefined) {
      err(
        'level',
        `级别“${levelText}”无效；应为 1（省）、2（市）、3（县级）、4（乡级）或 5（村级），请更正`,
        `level "${levelText}" is invalid; use 1 (province), 2 (city), 3 (county), 4 (township) or 5 (village)`,
      );
    } else if (level !== undefined && levelNum !== level) {
      err(
        'level',
        `级别 ${levelNum} 与代码 ${code}（${code.length} 位，应为级别 ${level}：${areaLevelNames[level].zh}）不符；请更正级别或代码`,
        `level ${levelNum} does not match code ${code} (${code.length} digits means level ${level}, ${areaLevelNames[level].en}); correct the level or the code`,
      );
    }

    if (level !== undefined) {
      const expected = parentCodeOf(code);
      if (expected === undefined && parent !== '') {
        err(
          'parent_code',
          `省级区划 ${code} 没有上级，parent_code 应为空（现为“${parent}”）；请清空`,
          `province ${code} has no parent, so parent_code must be empty (found "${parent}"); clear it`,
        );
      } else if (expected !== undefined && parent !== expected) {
        err(
          'parent_code',
          parent
            ? `上级代码“${parent}”与代码 ${code} 不符，应为 ${expected}；请更正`
            : `上级代码为空，代码 ${code} 的上级应为 ${expected}；请填写`,
          parent
            ? `parent code "${parent}" does not match code ${code}; it must be ${expected}. Correct it`
            : `parent code is empty; the parent of ${code} is ${expected}. Fill it in`,
        );
      }
    }

    if (western !== '0' && western !== '1') {
      err(
        'is_western',
        `“${western}”无效；是否西部地区应填 1（是）或 0（否）`,
        `"${western}" is invalid; is_western must be 1 (western region) or 0 (not)`,
      );
    }

    if (errors.length === before && level !== undefined) {
      out.push({ code, name, level, parentCode: parentCodeOf(code) ?? null, isWestern: western === '1' });
    }
  });

  return { rows: out, errors };
}
