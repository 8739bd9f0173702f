// The register's field validators and the import template, with plain values: strings as
// read from a file and typed JSON as sent to the API give the same result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkChar } from './idnumber.js';
import type { HouseholdBundle, HouseholdInput, MemberInput, YearInput } from './register.js';
import { TEMPLATE_COLUMNS, TEMPLATE_HEADERS, columnByHeader, columnOf, exampleRows, templateDoc } from './template.js';
import { normaliseField, validateBundle, validateHouseholdFields, validateMemberFields, validateYearFields } from './validate.js';

const today = new Date(2024, 5, 30);

function id(birth: string, sex: '1' | '2', area = '150524', seq = 1): string {
  const first17 = `${area}${birth.replaceAll('-', '')}${String(seq * 2 + (sex === '1' ? 1 : 0)).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

const household = { householdNo: 'H001', villageCode: '150524100201', attribute: '一般贫困户', exitStatus: '未脱贫' };
const member = { name: '巴特尔', idNumber: id('1970-03-15', '1'), relation: '户主', ethnicity: '蒙古族' };
const year = { year: '2020', householdSize: '3', status: '0' };

function only(issues: { field: string; zh: string }[], field: string): string {
  const hit = issues.filter((i) => i.field === field);
  expect(hit, JSON.stringify(issues)).toHaveLength(1);
  return hit[0]!.zh;
}

describe('validateHouseholdFields', () => {
  it('normalises strings from a file and typed JSON alike', () => {
    const fromFile = validateHouseholdFields({
      ...household, exitStatus: '已脱贫(享受政策)', exitYear: '2019', otherCauses: '缺资金、缺技术;因学', relocated: '是', identifiedOn: '2014/10/5',
      phone: '0475-8123456', groupName: ' 一组 ',
    });
    const fromApi = validateHouseholdFields({
      householdNo: 'H001', villageCode: '150524100201', attribute: '1', exitStatus: '1', exitYear: 2019, otherCauses: ['09', '07', '03'], relocated: true,
      identifiedOn: '2014-10-05', phone: '0475-8123456', groupName: '一组', id: 7, version: 3, headName: 'ignored',
    });
    expect(fromFile.issues).toEqual([]);
    expect(fromFile.value).toEqual(fromApi.value);
    expect(fromFile.value).toEqual<HouseholdInput>({
      householdNo: 'H001', villageCode: '150524100201', groupName: '一组', attribute: '1', exitStatus: '1', mainCause: null,
      otherCauses: ['09', '07', '03'], identifiedOn: '2014-10-05', exitYear: 2019, phone: '0475-8123456', assistanceUnit: null,
      responsibleCadre: null, relocated: true,
    });
  });

  it('reports required fields, bad codes and bad village codes with the column', () => {
    const r = validateHouseholdFields({ householdNo: '', villageCode: '1505', attribute: '富裕户', exitStatus: '' }, { row: 7 });
    expect(r.value).toBeUndefined();
    expect(r.issues.map((i) => [i.field, i.column, i.row])).toEqual([
      ['householdNo', '户编号', 7], ['villageCode', '村代码', 7], ['attribute', '贫困户属性', 7], ['exitStatus', '脱贫标志', 7],
    ]);
    expect(only(r.issues, 'attribute')).toContain('一般贫困户(1)');
    expect(r.issues.find((i) => i.field === 'attribute')!.en).toContain('not in the code list');
  });

  it('an exited household needs an exit year, not before it was identified', () => {
    expect(only(validateHouseholdFields({ ...household, exitStatus: '4' }).issues, 'exitYear')).toContain('请填写脱贫年度');
    expect(only(validateHouseholdFields({ ...household, exitYear: 2013, identifiedOn: '2014-05-01' }).issues, 'exitYear')).toContain('早于首次识别时间');
    expect(validateHouseholdFields({ ...household, exitStatus: '1', exitYear: 2016, identifiedOn: '2014-05-01' }).issues).toEqual([]);
  });

  it('dates must be real and not in the future; phones must look like phones', () => {
    expect(only(validateHouseholdFields({ ...household, identifiedOn: '2019-02-29' }).issues, 'identifiedOn')).toContain('不是真实存在的日期');
    expect(only(validateHouseholdFields({ ...household, identifiedOn: '2030-01-01' }, { today }).issues, 'identifiedOn')).toContain('晚于今天');
    expect(only(validateHouseholdFields({ ...household, identifiedOn: '下个月' }).issues, 'identifiedOn')).toContain('YYYY-MM-DD');
    for (const ok of ['13812345678', '0475-8123456', '04758123456', '8123456']) expect(validateHouseholdFields({ ...household, phone: ok }).issues).toEqual([]);
    for (const bad of ['1381234567', '12345', 'call me']) expect(only(validateHouseholdFields({ ...household, phone: bad }).issues, 'phone')).toContain('电话');
  });

  it('yes/no cells take 是/否, Y/N, 1/0, true/false and nothing else', () => {
    for (const [v, want] of [['是', true], ['N', false], ['1', true], ['false', false], [true, true], ['', false]] as const) {
      expect(validateHouseholdFields({ ...household, relocated: v }).value?.relocated).toBe(want);
    }
    expect(only(validateHouseholdFields({ ...household, relocated: '也许' }).issues, 'relocated')).toContain('“是”或“否”');
  });
});

describe('validateMemberFields', () => {
  it('derives sex and birth date from the ID when they are empty', () => {
    const r = validateMemberFields({ ...member, sex: '', birthDate: null });
    expect(r.issues).toEqual([]);
    expect(r.value).toMatchObject<Partial<MemberInput>>({ sex: '1', birthDate: '1970-03-15', relation: '01', ethnicity: '02', idNumber: member.idNumber });
  });

  it('cross-checks sex and birth date that were entered', () => {
    const r = validateMemberFields({ ...member, sex: '女', birthDate: '1970年3月16日' }, { row: 4 });
    expect(only(r.issues, 'sex')).toContain('性别');
    expect(only(r.issues, 'birthDate')).toContain('1970-03-15');
    expect(r.issues.every((i) => i.row === 4)).toBe(true);
    expect(validateMemberFields({ ...member, sex: '男', birthDate: '1970-03-15' }).issues).toEqual([]);
  });

  it('upgrades a 15-digit ID and reports damaged ones without repairing them', () => {
    const old = validateMemberFields({ ...member, idNumber: '150524700315003' });
    expect(old.value?.idNumber).toBe(`15052419700315003${checkChar('15052419700315003')}`);
    expect(only(validateMemberFields({ ...member, idNumber: '1.50524E+17' }).issues, 'idNumber')).toContain('科学计数法');
    expect(only(validateMemberFields({ ...member, idNumber: `${member.idNumber}.0` }).issues, 'idNumber')).toContain('.0');
    expect(only(validateMemberFields({ ...member, idNumber: 150524197003150000 }).issues, 'idNumber')).toContain('是数字而不是文本');
    const lower = `${member.idNumber.slice(0, 17)}${member.idNumber[17] === 'X' ? 'x' : member.idNumber[17]}`;
    expect(validateMemberFields({ ...member, idNumber: lower }).issues).toEqual([]);
  });

  it('work months are whole numbers from 0 to 12; codes accept labels and codes', () => {
    expect(validateMemberFields({ ...member, workMonths: '12' }).value?.workMonths).toBe(12);
    expect(only(validateMemberFields({ ...member, workMonths: 13 }).issues, 'workMonths')).toContain('12');
    expect(only(validateMemberFields({ ...member, workMonths: '2.5' }).issues, 'workMonths')).toContain('整数');
    expect(only(validateMemberFields({ ...member, workMonths: -1 }).issues, 'workMonths')).toContain('负数');
    expect(validateMemberFields({ ...member, health: '4', disabilityGrade: '二级残疾', labourAbility: '丧失劳动力' }).value).toMatchObject({ health: '4', disabilityGrade: '2', labourAbility: '3' });
    expect(only(validateMemberFields({ ...member, ethnicity: '火星族' }).issues, 'ethnicity')).toContain('见模板“填写说明”');
  });
});

describe('validateYearFields', () => {
  it('reads money, flags and land; empty money is 0, empty flags are unknown', () => {
    const r = validateYearFields({ ...year, wageIncome: '1,234.567', productionIncome: '-800', transferIncome: 2400, foodSecure: 'Y', farmlandMu: '12.5', pastureMu: '' });
    expect(r.issues).toEqual([]);
    expect(r.value).toMatchObject<Partial<YearInput>>({
      year: 2020, householdSize: 3, status: '0', wageIncome: 1234.57, productionIncome: -800, propertyIncome: 0, transferIncome: 2400,
      foodSecure: true, clothingSecure: null, farmlandMu: 12.5, pastureMu: null, note: null,
    });
  });

  it('only production income may be negative; land and size have floors; the year is 2010..this year', () => {
    expect(only(validateYearFields({ ...year, wageIncome: -1 }).issues, 'wageIncome')).toContain('负数');
    expect(only(validateYearFields({ ...year, forestMu: -0.5 }).issues, 'forestMu')).toContain('负数');
    expect(only(validateYearFields({ ...year, householdSize: 0 }).issues, 'householdSize')).toContain('不小于 1');
    expect(only(validateYearFields({ ...year, year: 2009 }).issues, 'year')).toContain('2010');
    expect(only(validateYearFields({ ...year, year: 2025 }, { today }).issues, 'year')).toContain('2024');
    expect(only(validateYearFields({ ...year, year: '' }).issues, 'year')).toContain('必填');
    expect(only(validateYearFields({ ...year, wageIncome: '8千' }).issues, 'wageIncome')).toContain('应为数字');
  });

  it('money is kept to the cent whatever the float noise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (fen) => {
        const yuan = fen / 100;
        const v = validateYearFields({ ...year, wageIncome: String(yuan) }).value!;
        return v.wageIncome === yuan && validateYearFields({ ...year, wageIncome: yuan }).value!.wageIncome === yuan;
      }),
    );
  });
});

describe('validateBundle', () => {
  const base = (): HouseholdBundle => ({
    household: validateHouseholdFields(household).value!,
    members: [validateMemberFields(member).value!, validateMemberFields({ ...member, name: '其木格', idNumber: id('1972-08-02', '2'), relation: '配偶' }).value!],
    years: [validateYearFields(year).value!],
  });

  it('accepts a household with one head', () => {
    expect(validateBundle(base())).toEqual([]);
  });

  it('needs exactly one head, per year when the rows are known', () => {
    const b = base();
    b.members[1]!.relation = '01';
    expect(validateBundle(b, { members: [2, 3] })[0]!.zh).toContain('2 名户主（第 2、3 行）');
    const perYear = validateBundle(base(), {
      years: [
        { year: 2019, members: [{ relation: '02', idNumber: 'a', row: 2 }] },
        { year: 2020, members: [{ relation: '01', idNumber: 'a', row: 3 }] },
      ],
    });
    expect(perYear).toHaveLength(1);
    expect(perYear[0]).toMatchObject({ field: 'relation', column: '与户主关系', row: 2 });
    expect(perYear[0]!.zh).toContain('2019 年度有 0 名户主');
  });

  it('names a person listed twice and a head from another province', () => {
    const b = base();
    b.members[1]!.idNumber = b.members[0]!.idNumber;
    expect(validateBundle(b, { members: [5, 9] }).find((i) => i.field === 'idNumber')).toMatchObject({ row: 9, column: '身份证号' });
    const moved = base();
    moved.members[0]!.idNumber = id('1970-03-15', '1', '220102');
    const issues = validateBundle(moved);
    expect(only(issues, 'idNumber')).toContain('省级代码 22');
    const spouseFromElsewhere = base();
    spouseFromElsewhere.members[1]!.idNumber = id('1972-08-02', '2', '220102');
    expect(validateBundle(spouseFromElsewhere)).toEqual([]);
  });

  it('a year recorded twice and a household with nobody are errors', () => {
    const b = base();
    b.years.push({ ...b.years[0]! });
    expect(only(validateBundle(b), 'year')).toContain('2020');
    expect(only(validateBundle({ ...base(), members: [] }), 'members')).toContain('至少');
  });
});

describe('the template', () => {
  it('has unique headers, each mapped to a field of the register shapes', () => {
    expect(new Set(TEMPLATE_HEADERS).size).toBe(TEMPLATE_HEADERS.length);
    const h: (keyof HouseholdInput)[] = ['householdNo', 'villageCode', 'groupName', 'attribute', 'exitStatus', 'mainCause', 'otherCauses', 'identifiedOn', 'exitYear', 'phone', 'assistanceUnit', 'responsibleCadre', 'relocated'];
    const m: (keyof MemberInput)[] = ['name', 'idNumber', 'relation', 'sex', 'birthDate', 'ethnicity', 'education', 'studentStatus', 'health', 'disabilityGrade', 'labourAbility', 'workMonths', 'medicalInsurance', 'criticalIllnessInsurance', 'pensionInsurance', 'phone'];
    expect(TEMPLATE_COLUMNS.filter((c) => c.part === 'household').map((c) => c.field).sort()).toEqual([...h].sort());
    expect(TEMPLATE_COLUMNS.filter((c) => c.part === 'member').map((c) => c.field).sort()).toEqual([...m].sort());
    expect(TEMPLATE_COLUMNS.filter((c) => c.part === 'year')).toHaveLength(23);
    expect(TEMPLATE_COLUMNS.filter((c) => c.kind === 'code' || c.kind === 'codes').every((c) => c.codeList)).toBe(true);
  });

  it('finds columns by Chinese or English header, folding brackets and spaces', () => {
    expect(columnByHeader('人均日供水量（升）')).toBe(columnOf('year', 'waterLitresPerDay'));
    expect(columnByHeader(' ID number ')).toBe(columnOf('member', 'idNumber'));
    expect(columnByHeader('备注')).toBeUndefined();
  });

  it('its example rows are valid', () => {
    for (const [i, r] of exampleRows().entries()) {
      const byField = (part: string) => Object.fromEntries(TEMPLATE_COLUMNS.filter((c) => c.part === part).map((c) => [c.field, r[c.header] ?? '']));
      expect(validateHouseholdFields(byField('household'), { row: i + 2 }).issues).toEqual([]);
      expect(validateMemberFields(byField('member'), { row: i + 2 }).issues).toEqual([]);
      expect(validateYearFields({ ...byField('year'), householdSize: 2, status: r['脱贫标志'] }).issues).toEqual([]);
    }
  });

  it('normaliseField compares cells by meaning', () => {
    const flag = columnOf('year', 'foodSecure')!;
    expect(normaliseField(flag, '是')).toEqual(normaliseField(flag, 'Y'));
    expect(normaliseField(columnOf('member', 'idNumber')!, '150524700315003')).toEqual({ ok: true, value: `15052419700315003${checkChar('15052419700315003')}` });
    const bad = normaliseField(columnOf('member', 'workMonths')!, '99', { row: 5 });
    expect(bad.ok ? null : bad.issue).toMatchObject({ row: 5, column: '务工时间(月)' });
  });

  it('docs/import-template.md is templateDoc() (regenerate it when the template changes)', () => {
    const doc = templateDoc();
    for (const c of TEMPLATE_COLUMNS) expect(doc).toContain(`| ${c.header} |`);
    expect(readFileSync(new URL('../../docs/import-template.md', import.meta.url), 'utf8')).toBe(doc);
  });
});
