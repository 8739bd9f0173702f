// Visits and household plans of the synthetic assistance data (see assistance.ts for the
// distributions and the inputs). Pure: every draw comes from the household's own stream.
import type { VisitKind } from '../assistance/catalogue.js';
import { hash32, type Rng } from './prng.js';
import { povertyLine, SNAPSHOT_YEAR } from './params.js';
import { addDays, addMonths, ASSISTANCE_TODAY, perCapita, type AidHousehold, type SynthPlan, type SynthVisit } from './assistance.js';

const pad2 = (n: number) => String(n).padStart(2, '0');


const GENERAL = ['两不愁三保障均有保障', '饮水安全，自来水入户', '住房安全，无新增危房', '家庭收入稳定，无返贫风险', '宣讲衔接政策，户主知晓', '核对家庭人口和收入信息无变化', '冬季取暖用煤已备足', '春耕备耕物资已到位'];
const ILL = ['患病成员病情稳定，按时服药', '家庭医生已签约并上门随访', '住院费用已一站式结算', '慢病用药报销已落实'];
const STUDENT = ['孩子在校就读正常', '学生资助已发放到位', '与学校核实无辍学情况'];
const CATTLE = ['基础母牛长势良好', '新生犊牛一头，已登记', '饲草料储备充足', '配种已完成，等待产犊'];
const WORK = ['家中劳动力外出务工，收入稳定', '公益岗位按时出勤', '参加了技能培训'];
const OLD = ['老人身体状况一般，生活能自理', '养老金按月到账'];
const FOLLOW = ['协助申请慢病门诊卡', '联系农牧技术员上门指导', '协调落实公益岗位', '协助办理医保报销手续', '帮助联系犊牛销路', '协助申请临时救助', '跟进孩子秋季入学'];

/** The phrase lists that fit a household (illness, students, work, old age, cattle). */
export function findingPools(h: AidHousehold): string[][] {
  const pools: string[][] = [GENERAL];
  if (h.members.some((m) => m.health === '2' || m.health === '3')) pools.push(ILL);
  if (h.members.some((m) => m.studentStatus !== '0' && m.studentStatus !== '1')) pools.push(STUDENT);
  if (h.members.some((m) => m.workMonths > 0)) pools.push(WORK);
  if (h.members.some((m) => SNAPSHOT_YEAR - m.birthYear >= 65)) pools.push(OLD);
  if (hash32('cattle', h.key) % 100 < 45) pools.push(CATTLE);
  return pools;
}

export function visit(rng: Rng, h: AidHousehold, pools: readonly string[][], cadre: number | null, visitedOn: string): SynthVisit {
  const findings = [rng.pick(rng.pick(pools))];
  if (rng.chance(0.5)) {
    const second = rng.pick(rng.pick(pools));
    if (second !== findings[0]) findings.push(second);
  }
  const x = rng.float();
  const kind: VisitKind = x < 0.8 ? 'home' : x < 0.95 ? 'phone' : 'meeting';
  let followUps = '';
  let followUpDue: string | null = null;
  let followUpDoneOn: string | null = null;
  if (rng.chance(0.15)) {
    followUps = rng.pick(FOLLOW);
    const wait = rng.int(14, 45);
    followUpDue = addDays(visitedOn, wait);
    if (followUpDue <= ASSISTANCE_TODAY && rng.chance(0.8)) followUpDoneOn = addDays(visitedOn, rng.int(3, wait));
  }
  return { householdId: h.id, cadre, visitedOn, kind, findings: findings.join('；'), followUps, followUpDue, followUpDoneOn };
}

const NEED_NOTES: Record<string, string> = {
  '01': '家庭成员患病，医疗支出大', '02': '家庭成员残疾，需照料', '03': '子女上学负担重', '04': '受灾减收', '05': '耕地少',
  '06': '饮水困难', '07': '缺乏技术', '08': '缺少劳动力', '09': '缺少发展资金', '10': '交通不便', '11': '自身发展动力不足',
};

export function householdPlan(
  rng: Rng,
  h: AidHousehold,
  cadre: number | null,
  measures: readonly { typeCode: string; quantity: number | null; amount: number }[],
): SynthPlan {
  const seen = new Set<string>();
  // The year's measures, one per type, pensions left out (a plan agrees development and support, not entitlements).
  const agreed = measures.filter((m) => m.typeCode !== 'social_pension' && !seen.has(m.typeCode) && seen.add(m.typeCode));
  const y = h.years.find((r) => r.year === SNAPSHOT_YEAR);
  const pc = y ? perCapita(y) : povertyLine(SNAPSHOT_YEAR);
  const agreedOn = `${SNAPSHOT_YEAR}-${pad2(rng.int(1, 3))}-${pad2(rng.int(1, 28))}`;
  const overdue = rng.chance(0.05);
  const lastReviewedOn = overdue ? null : addDays(addMonths(agreedOn, 6), rng.int(-10, 20));
  return {
    householdId: h.id,
    needs: h.causes,
    needsNote: h.causes.map((c) => NEED_NOTES[c] ?? '').filter(Boolean).join('；'),
    agreedMeasures: agreed.slice(0, 4).map((m) => ({ typeCode: m.typeCode, quantity: m.quantity, amount: m.amount, dueOn: `${SNAPSHOT_YEAR}-12-31`, note: '' })),
    targetIncome: Math.round(Math.max(pc, povertyLine(SNAPSHOT_YEAR)) * rng.uniform(1.05, 1.15)),
    targetYear: SNAPSHOT_YEAR + 1,
    targetsNote: '人均纯收入稳定增长，两不愁三保障持续巩固',
    cadre,
    agreedOn,
    reviewEveryMonths: 6,
    lastReviewedOn,
    nextReviewOn: addMonths(lastReviewedOn ?? agreedOn, 6),
  };
}
