import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkChar,
  crossCheckId,
  maskIdNumber,
  maskPhone,
  parseIdNumber,
  PROVINCE_CODES,
  type IdProblem,
  type IdProblemCode,
  type ParsedId,
} from './idnumber.js';

const TODAY = new Date(2024, 5, 30); // 2024-06-30, local time

function ok(input: string, today = TODAY): ParsedId {
  const r = parseIdNumber(input, { today });
  if (!r.ok) throw new Error(`expected ${input} to be valid, got ${r.problem.code}: ${r.problem.en}`);
  return r.id;
}

function bad(input: string, code: IdProblemCode, today = TODAY): IdProblem {
  const r = parseIdNumber(input, { today });
  if (r.ok) throw new Error(`expected ${input} to be invalid (${code}), but it parsed`);
  expect(r.problem.code).toBe(code);
  expect(r.problem.zh.length).toBeGreaterThan(10);
  expect(r.problem.en.length).toBeGreaterThan(10);
  return r.problem;
}

/** A valid ID from area, YYYYMMDD and 3-digit sequence, using checkChar. */
function make(area: string, ymd: string, seq: string): string {
  const first17 = area + ymd + seq;
  return first17 + checkChar(first17);
}

describe('checkChar (ISO 7064 MOD 11-2)', () => {
  it('gives the check characters of the standard’s own examples', () => {
    // 11010519491231002: digits × weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "10X98765432"[2] = X
    expect(checkChar('11010519491231002')).toBe('X');
    // 44052418800101001: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → "4"
    expect(checkChar('44052418800101001')).toBe('4');
  });

  it('rejects anything but 17 digits', () => {
    expect(() => checkChar('1101051949123100')).toThrow(RangeError);
    expect(() => checkChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('parseIdNumber: valid numbers', () => {
  it('parses 11010519491231002X (female, 1949-12-31)', () => {
    expect(ok('11010519491231002X')).toEqual({
      value: '11010519491231002X',
      areaCode: '110105',
      birthDate: '1949-12-31',
      sex: '2',
      upgradedFrom15: false,
    });
  });

  it('parses 440524188001010014 (male, 1880-01-01; the year floor is 1800)', () => {
    expect(ok('440524188001010014')).toEqual({
      value: '440524188001010014',
      areaCode: '440524',
      birthDate: '1880-01-01',
      sex: '1',
      upgradedFrom15: false,
    });
  });

  it('accepts a lower-case x and stores it as X', () => {
    expect(ok('11010519491231002x').value).toBe('11010519491231002X');
  });

  it('upgrades a 15-digit number', () => {
    // 150502 850615 123 → insert "19": 15050219850615123
    // digits  1 5  0 5 0 2 1 9 8 5 0 6  1 5 1 2 3
    // weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // 7+45+0+25+0+8+2+9+48+15+0+54+10+25+8+8+6 = 270; 270 mod 11 = 6 → "10X98765432"[6] = "6"
    expect(ok('150502850615123')).toEqual({
      value: '150502198506151236',
      areaCode: '150502',
      birthDate: '1985-06-15',
      sex: '1', // sequence 123 is odd
      upgradedFrom15: true,
    });
    // 110105 491231 002 → 11010519491231002 + X (sum 167, see above); sequence 002 even → female
    expect(ok('110105491231002')).toMatchObject({ value: '11010519491231002X', sex: '2', upgradedFrom15: true });
  });

  it('accepts Feb 29 only in leap years', () => {
    expect(ok(make('150502', '20000229', '011')).birthDate).toBe('2000-02-29'); // divisible by 400
    expect(ok(make('150502', '20040229', '011')).birthDate).toBe('2004-02-29'); // divisible by 4
    expect(bad(make('150502', '19000229', '011'), 'bad_date').zh).toContain('1900 年不是闰年');
    expect(bad(make('150502', '20230229', '011'), 'bad_date').en).toContain('2023 is not a leap year');
    // legacy 15-digit: 1900-02-29 does not exist either
    bad('150502000229011', 'bad_date');
  });

  it('accepts Hong Kong, Macau and Taiwan area codes', () => {
    for (const p of ['71', '81', '82', '83']) ok(make(`${p}0000`, '19900101', '001'));
  });

  it('accepts a birth date of today', () => {
    expect(ok(make('150502', '20240630', '002')).birthDate).toBe('2024-06-30');
  });
});

describe('parseIdNumber: problems', () => {
  it('empty', () => {
    bad('', 'empty');
    bad('  \u3000 ', 'empty');
  });

  it('scientific_notation: says the number is lost and to format the column as text', () => {
    const p = bad('1.50521E+17', 'scientific_notation');
    expect(p.zh).toBe(
      '身份证号被 Excel 转成了科学计数法（1.50521E+17），原号码已丢失；请把该列设为“文本”格式后重新录入完整的18位号码',
    );
    expect(p.en).toContain('scientific notation (1.50521E+17)');
    expect(p.en).toContain('Text');
    bad(' 1.50521e+17 ', 'scientific_notation');
  });

  it('trailing_decimal: reported, not stripped', () => {
    const valid = '11010519491231002X'; // sanity: the digits before ".0" below would otherwise be checked
    ok(valid);
    for (const s of ['150521199001011234.0', '150521199001011234.00', '440524188001010014.0']) {
      const p = bad(s, 'trailing_decimal');
      expect(p.zh).toContain(s);
      expect(p.zh).toContain('文本');
      expect(p.en).toContain('Excel stored it as a number');
    }
  });

  it('fullwidth digits and Ｘ', () => {
    const p = bad('１１０１０５１９４９１２３１００２Ｘ', 'fullwidth');
    expect(p.zh).toContain('全角');
    expect(p.zh).toContain('半角');
    expect(p.en).toContain('full-width');
    bad('11010519491231002Ｘ', 'fullwidth');
  });

  it('whitespace: leading, trailing, embedded, U+3000 and NBSP', () => {
    expect(bad(' 11010519491231002X', 'whitespace').zh).toContain('开头');
    expect(bad('11010519491231002X ', 'whitespace').en).toContain('at the end');
    expect(bad('110105 19491231002X', 'whitespace').zh).toContain('中间');
    const full = bad('11010519491231002X\u3000', 'whitespace');
    expect(full.zh).toContain('全角空格');
    expect(full.en).toContain('U+3000');
    const nbsp = bad('\u00A011010519491231002X', 'whitespace');
    expect(nbsp.zh).toContain('不换行空格');
    expect(nbsp.en).toContain('U+00A0');
    bad('11010519491231002X\t', 'whitespace');
  });

  it('bad_chars names the characters', () => {
    expect(bad('11010519491231002Y', 'bad_chars').zh).toContain('“Y”');
    expect(bad('110105-19491231002X', 'bad_chars').en).toContain('"-"');
    expect(bad('1101051949123X0021', 'bad_chars').zh).toContain('第14位');
    bad('11010549123100X', 'bad_chars'); // X in a 15-digit number
  });

  it('bad_length gives the actual length', () => {
    expect(bad('1101051949123100', 'bad_length').zh).toContain('16位');
    expect(bad('11010519491231002X1', 'bad_length').en).toContain('has 19');
  });

  it('bad_area', () => {
    // 99 and 10 are not province codes
    expect(bad(make('990105', '19491231', '002'), 'bad_area').zh).toContain('“99”');
    bad(make('100105', '19491231', '002'), 'bad_area');
  });

  it('bad_date: impossible month/day and years before 1800', () => {
    expect(bad(make('110105', '19491301', '002'), 'bad_date').zh).toContain('19491301');
    expect(bad(make('110105', '19490431', '002'), 'bad_date').en).toContain('month 4 has no day 31');
    bad(make('110105', '19490100', '002'), 'bad_date');
    expect(bad(make('110105', '17991231', '002'), 'bad_date').zh).toContain('1799');
    ok(make('110105', '18000101', '002'));
  });

  it('future_date uses opts.today', () => {
    const id = make('150502', '20240701', '002');
    const p = bad(id, 'future_date', new Date(2024, 5, 30));
    expect(p.zh).toContain('2024-07-01');
    expect(p.zh).toContain('2024-06-30');
    expect(ok(id, new Date(2024, 6, 1)).birthDate).toBe('2024-07-01');
  });

  it('bad_check names the expected character', () => {
    const p = bad('110105194912310021', 'bad_check');
    expect(p.zh).toContain('应为“X”');
    expect(p.en).toContain('should be "X"');
    expect(bad('440524188001010015', 'bad_check').en).toContain('should be "4"');
  });
});

describe('parseIdNumber: property', () => {
  const provinces = [...PROVINCE_CODES];
  const prefix = fc
    .record({
      province: fc.constantFrom(...provinces),
      rest: fc.stringMatching(/^\d{4}$/),
      birth: fc.date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(2024, 5, 30)), noInvalidDate: true }),
      seq: fc.stringMatching(/^\d{3}$/),
    })
    .map(({ province, rest, birth, seq }) => {
      const ymd = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
      return `${province}${rest}${ymd}${seq}`;
    });

  it('prefix + checkChar is valid; changing any one character makes it invalid', () => {
    fc.assert(
      fc.property(prefix, fc.nat(17), fc.integer({ min: 1, max: 10 }), (first17, pos, shift) => {
        const id = first17 + checkChar(first17);
        const r = parseIdNumber(id, { today: TODAY });
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.id.value).toBe(id);

        // Replace the character at `pos` with a different one: a digit for positions 0–16,
        // a digit or X for the check position.
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const cur = alphabet.indexOf(id.charAt(pos));
        const next = alphabet.charAt((cur + (shift % alphabet.length || 1)) % alphabet.length);
        expect(next).not.toBe(id.charAt(pos));
        const changed = id.slice(0, pos) + next + id.slice(pos + 1);
        expect(parseIdNumber(changed, { today: TODAY }).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('crossCheckId', () => {
  const female = ok('11010519491231002X');

  it('no problems when sex and birth date agree (codes or labels, several date styles)', () => {
    expect(crossCheckId(female, { sex: '2', birthDate: '1949-12-31' })).toEqual([]);
    expect(crossCheckId(female, { sex: '女', birthDate: '1949/12/31' })).toEqual([]);
    expect(crossCheckId(female, { sex: 'Female', birthDate: '19491231' })).toEqual([]);
    expect(crossCheckId(female, { birthDate: '1949年12月31日' })).toEqual([]);
    expect(crossCheckId(female, {})).toEqual([]);
    expect(crossCheckId(female, { sex: null, birthDate: null })).toEqual([]);
  });

  it('sex_mismatch names both values', () => {
    const [p, ...rest] = crossCheckId(female, { sex: '1' });
    expect(rest).toEqual([]);
    expect(p?.code).toBe('sex_mismatch');
    expect(p?.zh).toContain('“男”');
    expect(p?.zh).toContain('“女”');
    expect(p?.en).toContain('male');
    expect(p?.en).toContain('female');
  });

  it('birth_mismatch names both values', () => {
    const problems = crossCheckId(female, { sex: '男', birthDate: '1949-12-30' });
    expect(problems.map((p) => p.code)).toEqual(['sex_mismatch', 'birth_mismatch']);
    const b = problems[1];
    expect(b?.zh).toContain('1949-12-30');
    expect(b?.zh).toContain('1949-12-31');
    expect(b?.en).toContain('1949-12-30');
    expect(b?.en).toContain('1949-12-31');
  });

  it('messages mask the ID number', () => {
    const [p] = crossCheckId(female, { sex: '1' });
    expect(p?.zh).not.toContain('11010519491231002X');
    expect(p?.zh).toContain('1101**********002X');
  });
});

describe('masking', () => {
  it('maskIdNumber keeps the first 4 and last 4', () => {
    expect(maskIdNumber('150521199001011234')).toBe('1505**********1234');
    expect(maskIdNumber('110105491231002')).toBe('1101*******1002');
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskIdNumber('')).toBe('');
  });

  it('maskPhone keeps the first 3 and last 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0475-8221234')).toBe('047*****1234');
    expect(maskPhone('1234567')).toBe('*******');
  });
});
