import { describe, expect, it } from 'vitest';
import { checkPlanInput, DEFAULT_SIZES } from './plan.js';
import { checkSurvey, discrepancies, type RegisterRecord } from './survey.js';

const TODAY = '2021-03-01';
const full = {
  outcome: 'completed', surveyedOn: '2021-02-20', householdSize: 4, perCapitaIncome: 5200.5,
  foodSecure: true, clothingSecure: true, educationSecure: true, medicalSecure: false, housingSecure: true, waterSecure: true, approves: true,
};
const reg: RegisterRecord = { householdSize: 4, perCapitaIncome: 5200, foodSecure: true, clothingSecure: null, educationSecure: true, medicalSecure: true, housingSecure: true, waterSecure: null, status: '1' };
const fields = (issues: { field: string }[]) => issues.map((i) => i.field).sort();

describe('checkSurvey', () => {
  it('accepts a complete questionnaire for each stratum and only its own question', () => {
    expect(checkSurvey({ ...full, exitCorrect: true }, 'exited', 2020, TODAY).issues).toEqual([]);
    expect(checkSurvey({ ...full, stillPoor: true }, 'remaining', 2020, TODAY).issues).toEqual([]);
    expect(checkSurvey({ ...full, omitted: false, headName: '张三' }, 'nonRegistered', 2020, TODAY).issues).toEqual([]);
    const wrong = checkSurvey({ ...full, exitCorrect: true, omitted: true }, 'remaining', 2020, TODAY).issues;
    expect(fields(wrong)).toEqual(['exitCorrect', 'omitted', 'stillPoor']);
    expect(wrong.find((i) => i.field === 'exitCorrect')!.zh).toContain('只适用于已脱贫户');
  });

  it('names every missing or malformed answer', () => {
    const r = checkSurvey({ outcome: 'done', surveyedOn: '2021-02-30', householdSize: 2.5, perCapitaIncome: 12.345, foodSecure: 'yes' }, 'nonRegistered', 2020, TODAY);
    expect(fields(r.issues)).toEqual(['foodSecure', 'householdSize', 'outcome', 'perCapitaIncome', 'surveyedOn']);
    expect(r.issues.find((i) => i.field === 'perCapitaIncome')!.en).toContain('at most 2 decimals');
    const c = checkSurvey({ outcome: 'completed', surveyedOn: '2021-02-20' }, 'nonRegistered', 2020, TODAY);
    expect(fields(c.issues)).toEqual(['approves', 'clothingSecure', 'educationSecure', 'foodSecure', 'headName', 'householdSize', 'housingSecure', 'medicalSecure', 'omitted', 'perCapitaIncome', 'waterSecure']);
  });

  it('bounds the date by today and the plan year', () => {
    expect(checkSurvey({ ...full, exitCorrect: true, surveyedOn: '2021-03-02' }, 'exited', 2020, TODAY).issues[0]!.zh).toContain('晚于今天');
    expect(checkSurvey({ ...full, exitCorrect: true, surveyedOn: '2019-12-31' }, 'exited', 2020, TODAY).issues[0]!.en).toContain('before the evaluation year 2020');
    expect(checkSurvey({ ...full, exitCorrect: true, surveyedOn: TODAY }, 'exited', 2020, TODAY).issues).toEqual([]);
  });

  it('a household not reached needs the reason and no answers', () => {
    expect(checkSurvey({ outcome: 'not_reached', surveyedOn: '2021-02-20', note: '外出务工，多次上门未遇' }, 'exited', 2020, TODAY).issues).toEqual([]);
    expect(fields(checkSurvey({ outcome: 'not_reached', surveyedOn: '2021-02-20', householdSize: 3 }, 'exited', 2020, TODAY).issues)).toEqual(['householdSize', 'note']);
  });
});

describe('discrepancies', () => {
  it('lists size, income (a yuan or more), flags the register holds, and the finding', () => {
    const a = checkSurvey({ ...full, householdSize: 5, perCapitaIncome: 4100, exitCorrect: false }, 'exited', 2020, TODAY).answers;
    expect(discrepancies(a, 'exited', reg).map((d) => [d.field, d.registerValue, d.surveyValue])).toEqual([
      ['householdSize', '4', '5'],
      ['perCapitaIncome', '5200.00', '4100.00'],
      ['medicalSecure', 'true', 'false'],
      ['exitCorrect', '1', 'false'],
    ]);
  });

  it('ignores income within a yuan and flags the register does not hold', () => {
    const a = checkSurvey({ ...full, perCapitaIncome: 5200.99, medicalSecure: true, clothingSecure: false, exitCorrect: true }, 'exited', 2020, TODAY).answers;
    expect(discrepancies(a, 'exited', reg)).toEqual([]);
  });

  it('an omission is a discrepancy of a non-registered household; nothing for a household not reached', () => {
    const a = checkSurvey({ ...full, omitted: true, headName: '李四' }, 'nonRegistered', 2020, TODAY).answers;
    expect(discrepancies(a, 'nonRegistered', null).map((d) => d.field)).toEqual(['omitted']);
    const n = checkSurvey({ outcome: 'not_reached', surveyedOn: '2021-02-20', note: '拒访' }, 'exited', 2020, TODAY).answers;
    expect(discrepancies(n, 'exited', reg)).toEqual([]);
  });
});

describe('checkPlanInput', () => {
  it('fills default sizes and keeps overrides', () => {
    const p = checkPlanInput({ county: '150524', year: 2020, name: ' 库伦旗专项评估 ', seed: '150524-2020-abc', sizes: { villageOverrides: { '150524100/poor': 3 } } });
    expect(p).toMatchObject({ name: '库伦旗专项评估', sizes: { ...DEFAULT_SIZES, villageOverrides: { '150524100/poor': 3 } }, poorVillages: null });
  });

  it('refuses overrides of unknown strata and poor villages outside the county', () => {
    try {
      checkPlanInput({ county: '150524', year: 2020, name: 'x', seed: 'seed', sizes: { villageOverrides: { '150524100/rich': 1 } }, poorVillages: ['150523100001', 'abc'] });
      expect.unreachable();
    } catch (e) {
      const issues = (e as { issues: { field: string }[] }).issues;
      expect(fields(issues)).toEqual(['poorVillages', 'sizes.villageOverrides.150524100/rich']);
    }
    const e = (() => {
      try {
        checkPlanInput({ county: '150524', year: 2020, name: 'x', seed: 'seed', poorVillages: ['150523100001'] });
      } catch (x) {
        return x as { issues: { zh: string }[] };
      }
      return null;
    })();
    expect(e!.issues[0]!.zh).toContain('不在旗县 150524 内');
  });
});
