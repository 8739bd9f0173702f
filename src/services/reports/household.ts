// 一户一档 household file card: the household, its members (ID numbers and phones masked unless the
// reader asks to reveal them — the same rule as the household page: any role that reads the
// register may reveal, and every reveal is audited, one row per member, in one transaction), the
// yearly records with the income breakdown against the poverty line of that year, 两不愁三保障,
// and the assistance of a year: the pairing (帮扶责任人), the plan (一户一策) and the measures given.
import { netIncome } from '../../domain/income.js';
import type { ResolvedParam, Text } from '../../domain/policy-types.js';
import { audit, require, type Ctx } from '../context.js';
import { getHousehold } from '../households.js';
import { listHouseholdMeasures } from '../measures.js';
import { getPlan, listPairings } from '../pairing/index.js';
import { policyYearLookup } from '../policy.js';
import { fen, label, reportDay, throwIfAny, yearIssue, yesNo } from './common.js';
import { Sheet, type Cell, type Column } from './sheet.js';
import { xlsxBuffer } from '../imports/export.js';
import { openId, openPhone } from '../pii.js';

export interface HouseholdReportInput {
  id: unknown;
  /** The year of the assistance section (measures given that year); default the latest record's. */
  year?: unknown;
  /** Full ID numbers and phones (audited). */
  reveal?: boolean;
}

export interface CardMember {
  id: number;
  name: string;
  relation: Text | null;
  sex: Text | null;
  birthDate: string;
  ethnicity: Text | null;
  idNumber: string;
  phone: string | null;
  education: Text | null;
  studentStatus: Text | null;
  health: Text | null;
  disabilityGrade: Text | null;
  labourAbility: Text | null;
  workMonths: number | null;
  medicalInsurance: boolean | null;
  criticalIllnessInsurance: boolean | null;
  pensionInsurance: boolean | null;
}

export interface CardYear {
  year: number;
  householdSize: number;
  status: string;
  statusLabel: Text | null;
  wageIncome: number;
  productionIncome: number;
  propertyIncome: number;
  transferIncome: number;
  productionCosts: number;
  nonCountingIncome: number;
  /** wage + production + property + transfer − production costs */
  netIncome: number;
  perCapitaIncome: number;
  /** The poverty line in force for the year at the household's village; null when unknown or none. */
  povertyLine: number | null;
  povertyLineParam: ResolvedParam | null;
  /** per-capita income − line; null without a line. */
  gap: number | null;
  /** per-capita income ≥ line; null without a line. */
  atOrAboveLine: boolean | null;
  foodSecure: boolean | null;
  clothingSecure: boolean | null;
  educationSecure: boolean | null;
  medicalSecure: boolean | null;
  housingSecure: boolean | null;
  waterSecure: boolean | null;
  dangerousHouse: boolean | null;
  waterLitresPerDay: number | null;
  waterFetchMinutes: number | null;
}

export interface CardMeasure {
  typeName: Text;
  channel: Text;
  memberName: string | null;
  givenOn: string | null;
  quantity: number | null;
  unit: Text;
  amount: number;
  incomeComponent: Text;
  projectName: string | null;
}

export interface HouseholdReport {
  kind: 'household';
  generatedOn: string;
  /** true when ID numbers and phones are shown in full (the reveal was audited). */
  revealed: boolean;
  household: {
    id: number;
    householdNo: string;
    countyCode: string;
    villageCode: string;
    area: { county: string; township: string; village: string };
    groupName: string | null;
    attribute: Text | null;
    exitStatus: string;
    exitStatusLabel: Text | null;
    mainCause: Text | null;
    otherCauses: Text[];
    headName: string;
    identifiedOn: string | null;
    exitYear: number | null;
    phone: string | null;
    assistanceUnit: string | null;
    responsibleCadre: string | null;
    relocated: boolean;
  };
  members: CardMember[];
  years: CardYear[];
  assistance: {
    /** The year of the measures listed; null when the household has no yearly record. */
    year: number | null;
    pairing: { cadreName: string; unitName: string; startedOn: string } | null;
    plan: {
      needs: Text[];
      needsNote: string;
      targetIncome: number | null;
      targetYear: number | null;
      agreedOn: string | null;
      cadreName: string | null;
      nextReviewOn: string | null;
      overdue: boolean;
      agreedMeasures: { typeName: Text; quantity: number | null; unit: Text; amount: number | null; dueOn: string | null; note: string }[];
    } | null;
    measures: CardMeasure[];
    measuresTotal: number;
  };
}

function checkInput(input: HouseholdReportInput): { id: number; year: number | undefined } {
  const id = input.id;
  const issues = [];
  if (!(typeof id === 'number' && Number.isSafeInteger(id) && id > 0)) {
    issues.push({
      field: 'id', value: id === undefined ? undefined : String(id),
      zh: `农户编号 id 应为正整数（农户页面地址中的数字），收到 ${String(id ?? '（空 empty）')}`,
      en: `id must be a positive whole number (the number in the household page's address), got ${String(id ?? '(empty)')}`,
    });
  }
  if (input.year !== undefined && input.year !== null) issues.push(yearIssue(input.year));
  throwIfAny(issues);
  return { id: id as number, year: input.year === undefined || input.year === null ? undefined : (input.year as number) };
}

export async function householdReport(ctx: Ctx, input: HouseholdReportInput): Promise<HouseholdReport> {
  require(ctx, 'register.read');
  const { id, year: askedYear } = checkInput(input);
  const file = await getHousehold(ctx, id);
  const members = file.members.map((m) => ({ ...m }));
  let phone = file.phone;
  if (input.reveal) {
    const full = await ctx.db.query<{ id: number; idEnc: string; phoneEnc: string | null }>(
      'SELECT id, id_enc AS "idEnc", phone_enc AS "phoneEnc" FROM members WHERE county_code = $1 AND household_id = $2',
      [file.countyCode, id],
    );
    const byId = new Map(full.map((r) => [Number(r.id), r]));
    for (const m of members) {
      const f = byId.get(Number(m.id));
      if (f) Object.assign(m, { idNumber: openId(f.idEnc), phone: openPhone(f.phoneEnc) });
    }
    const [h] = await ctx.db.query<{ phoneEnc: string | null }>('SELECT phone_enc AS "phoneEnc" FROM households WHERE county_code = $1 AND id = $2', [file.countyCode, id]);
    phone = openPhone(h?.phoneEnc);
    // One row per member (their ID number and phone) and one for the household (its own phone),
    // so a reveal is on record even for a household without members.
    await ctx.db.transaction(async (tx) => {
      await audit(tx, ctx.actor, { action: 'reveal', entity: 'households', entityId: id, countyCode: file.countyCode, householdId: id, note: '一户一档报表 household report' });
      for (const m of members) {
        await audit(tx, ctx.actor, { action: 'reveal', entity: 'members', entityId: m.id, countyCode: file.countyCode, householdId: id, note: '一户一档报表 household report' });
      }
    });
  }
  const lookupFor = await policyYearLookup(ctx.db, file.villageCode);
  const years: CardYear[] = file.years.map((y) => {
    const p = lookupFor(y.year)('poverty_line');
    const line = p && typeof p.value === 'number' ? p.value : null;
    return {
      year: y.year,
      householdSize: y.householdSize,
      status: y.status,
      statusLabel: label('exitStatus', y.status),
      wageIncome: y.wageIncome,
      productionIncome: y.productionIncome,
      propertyIncome: y.propertyIncome,
      transferIncome: y.transferIncome,
      productionCosts: y.productionCosts,
      nonCountingIncome: y.nonCountingIncome ?? 0,
      netIncome: netIncome({ wage: y.wageIncome, production: y.productionIncome, property: y.propertyIncome, transfer: y.transferIncome, productionCosts: y.productionCosts }),
      perCapitaIncome: y.perCapitaIncome,
      povertyLine: line,
      povertyLineParam: p ? { ...p } : null,
      gap: line === null ? null : fen(y.perCapitaIncome - line),
      atOrAboveLine: line === null ? null : y.perCapitaIncome >= line,
      foodSecure: y.foodSecure,
      clothingSecure: y.clothingSecure,
      educationSecure: y.educationSecure,
      medicalSecure: y.medicalSecure,
      housingSecure: y.housingSecure,
      waterSecure: y.waterSecure,
      dangerousHouse: y.dangerousHouse,
      waterLitresPerDay: y.waterLitresPerDay,
      waterFetchMinutes: y.waterFetchMinutes,
    };
  });
  const latest = years.length ? years[years.length - 1]!.year : null;
  const year = askedYear ?? latest;

  const [pairings, plan, measures] = [
    await listPairings(ctx, { household: id, state: 'open', pageSize: 1 }),
    await getPlan(ctx, id),
    year === null ? { items: [] } : await listHouseholdMeasures(ctx, id, { year }),
  ];
  const open = pairings.items[0];
  const measureRows: CardMeasure[] = measures.items.map((m) => ({
    typeName: m.typeName, channel: m.channelLabel, memberName: m.memberName, givenOn: m.givenOn, quantity: m.quantity, unit: m.unit,
    amount: m.amount, incomeComponent: m.incomeComponentLabel, projectName: m.projectName,
  }));

  return {
    kind: 'household',
    generatedOn: reportDay(),
    revealed: Boolean(input.reveal),
    household: {
      id: file.id,
      householdNo: file.householdNo,
      countyCode: file.countyCode,
      villageCode: file.villageCode,
      area: file.area,
      groupName: file.groupName,
      attribute: label('attribute', file.attribute),
      exitStatus: file.exitStatus,
      exitStatusLabel: label('exitStatus', file.exitStatus),
      mainCause: label('cause', file.mainCause),
      otherCauses: (file.otherCauses ?? []).map((c) => label('cause', c)).filter((t): t is Text => t !== null),
      headName: file.headName,
      identifiedOn: file.identifiedOn,
      exitYear: file.exitYear,
      phone,
      assistanceUnit: file.assistanceUnit,
      responsibleCadre: file.responsibleCadre,
      relocated: file.relocated,
    },
    members: members.map((m) => ({
      id: Number(m.id),
      name: m.name,
      relation: label('relation', m.relation),
      sex: label('sex', m.sex),
      birthDate: m.birthDate,
      ethnicity: label('ethnicity', m.ethnicity),
      idNumber: m.idNumber,
      phone: m.phone,
      education: label('education', m.education),
      studentStatus: label('studentStatus', m.studentStatus),
      health: label('health', m.health),
      disabilityGrade: label('disabilityGrade', m.disabilityGrade),
      labourAbility: label('labourAbility', m.labourAbility),
      workMonths: m.workMonths,
      medicalInsurance: m.medicalInsurance,
      criticalIllnessInsurance: m.criticalIllnessInsurance,
      pensionInsurance: m.pensionInsurance,
    })),
    years,
    assistance: {
      year,
      pairing: open ? { cadreName: open.cadreName, unitName: open.unitName, startedOn: open.startedOn } : null,
      plan: plan.exists
        ? {
            needs: plan.needs.map((n) => n.label),
            needsNote: plan.needsNote,
            targetIncome: plan.targetIncome,
            targetYear: plan.targetYear,
            agreedOn: plan.agreedOn,
            cadreName: plan.cadreName,
            nextReviewOn: plan.nextReviewOn,
            overdue: plan.overdue,
            agreedMeasures: plan.agreedMeasures.map((m) => ({ typeName: m.typeName, quantity: m.quantity, unit: m.unit, amount: m.amount, dueOn: m.dueOn, note: m.note })),
          }
        : null,
      measures: measureRows,
      measuresTotal: fen(measureRows.reduce((s, m) => s + m.amount, 0)),
    },
  };
}

// --- workbook ---------------------------------------------------------------------------------

const zh = (t: Text | null | undefined): string => t?.zh ?? '';

const MEMBER_COLS: Column<CardMember>[] = [
  { zh: '姓名', en: 'Name', width: 10, value: (m) => m.name },
  { zh: '与户主关系', en: 'Relation', width: 10, value: (m) => zh(m.relation) },
  { zh: '性别', en: 'Sex', width: 6, value: (m) => zh(m.sex) },
  { zh: '出生日期', en: 'Born', width: 11, value: (m) => m.birthDate },
  { zh: '民族', en: 'Ethnicity', width: 8, value: (m) => zh(m.ethnicity) },
  { zh: '身份证号', en: 'ID number', width: 21, fmt: 'text', value: (m) => m.idNumber },
  { zh: '联系电话', en: 'Phone', width: 14, fmt: 'text', value: (m) => m.phone },
  { zh: '文化程度', en: 'Education', width: 12, value: (m) => zh(m.education) },
  { zh: '在校生状况', en: 'Student', width: 12, value: (m) => zh(m.studentStatus) },
  { zh: '健康状况', en: 'Health', width: 12, value: (m) => zh(m.health) },
  { zh: '劳动技能', en: 'Labour', width: 12, value: (m) => zh(m.labourAbility) },
  { zh: '务工时间（月）', en: 'Months worked away', width: 9, fmt: 'int', value: (m) => m.workMonths },
  { zh: '基本医疗保险', en: 'Medical ins.', width: 9, value: (m) => yesNo(m.medicalInsurance) },
  { zh: '大病保险', en: 'Critical-illness ins.', width: 9, value: (m) => yesNo(m.criticalIllnessInsurance) },
  { zh: '基本养老保险', en: 'Pension ins.', width: 9, value: (m) => yesNo(m.pensionInsurance) },
];

const YEAR_COLS: Column<CardYear>[] = [
  { zh: '年度', en: 'Year', width: 7, value: (y) => y.year },
  { zh: '家庭人口', en: 'Size', width: 7, fmt: 'int', value: (y) => y.householdSize },
  { zh: '脱贫标志', en: 'Status', width: 14, value: (y) => zh(y.statusLabel) },
  { zh: '工资性收入', en: 'Wage', width: 11, fmt: 'money', value: (y) => y.wageIncome },
  { zh: '生产经营性收入', en: 'Production', width: 11, fmt: 'money', value: (y) => y.productionIncome },
  { zh: '财产性收入', en: 'Property', width: 11, fmt: 'money', value: (y) => y.propertyIncome },
  { zh: '转移性收入', en: 'Transfers', width: 11, fmt: 'money', value: (y) => y.transferIncome },
  { zh: '生产经营性支出', en: 'Production costs', width: 11, fmt: 'money', value: (y) => y.productionCosts },
  { zh: '家庭纯收入', en: 'Net income', width: 11, fmt: 'money', value: (y) => y.netIncome },
  { zh: '人均纯收入', en: 'Per capita', width: 11, fmt: 'money', value: (y) => y.perCapitaIncome },
  { zh: '贫困线', en: 'Poverty line', width: 10, fmt: 'money', value: (y) => y.povertyLine },
  { zh: '高于贫困线', en: 'Above line by', width: 11, fmt: 'money', value: (y) => y.gap },
  { zh: '是否达标', en: 'At or above line', width: 8, value: (y) => (y.atOrAboveLine === null ? '未知' : y.atOrAboveLine ? '达标' : '未达标') },
  { zh: '不计入的补助', en: 'Not counted', width: 11, fmt: 'money', value: (y) => y.nonCountingIncome },
];

const CHECK_COLS: Column<CardYear>[] = [
  { zh: '年度', en: 'Year', width: 7, value: (y) => y.year },
  { zh: '不愁吃', en: 'Food', width: 8, value: (y) => yesNo(y.foodSecure) },
  { zh: '不愁穿', en: 'Clothing', width: 8, value: (y) => yesNo(y.clothingSecure) },
  { zh: '义务教育有保障', en: 'Education', width: 10, value: (y) => yesNo(y.educationSecure) },
  { zh: '基本医疗有保障', en: 'Medical care', width: 10, value: (y) => yesNo(y.medicalSecure) },
  { zh: '住房安全有保障', en: 'Housing', width: 10, value: (y) => yesNo(y.housingSecure) },
  { zh: '饮水安全有保障', en: 'Water', width: 10, value: (y) => yesNo(y.waterSecure) },
  { zh: '危房户', en: 'Dangerous house', width: 8, value: (y) => yesNo(y.dangerousHouse) },
  { zh: '日供水量（升/人）', en: 'Water L/person/day', width: 10, fmt: 'int', value: (y) => y.waterLitresPerDay },
  { zh: '取水往返（分钟）', en: 'Fetch minutes', width: 10, fmt: 'int', value: (y) => y.waterFetchMinutes },
];

const MEASURE_COLS: Column<CardMeasure>[] = [
  { zh: '帮扶渠道', en: 'Channel', width: 12, value: (m) => m.channel.zh },
  { zh: '措施类型', en: 'Measure', width: 22, value: (m) => m.typeName.zh },
  { zh: '受益成员', en: 'Member', width: 10, value: (m) => m.memberName },
  { zh: '发放日期', en: 'Given on', width: 11, value: (m) => m.givenOn },
  { zh: '数量', en: 'Quantity', width: 8, fmt: 'money', value: (m) => m.quantity },
  { zh: '单位', en: 'Unit', width: 6, value: (m) => m.unit.zh },
  { zh: '金额（元）', en: 'Amount (yuan)', width: 11, fmt: 'money', value: (m) => m.amount },
  { zh: '计入收入', en: 'Income component', width: 14, value: (m) => m.incomeComponent.zh },
  { zh: '项目', en: 'Project', width: 18, value: (m) => m.projectName },
];

export async function householdWorkbook(r: HouseholdReport): Promise<Buffer> {
  const h = r.household;
  const title = `${h.area.village} ${h.headName} 户 一户一档（户编号 ${h.householdNo}）`;
  const sub = `区划：${h.area.county} ${h.area.township} ${h.area.village}（${h.villageCode}）　制表日期：${r.generatedOn}${r.revealed ? '　含完整身份证号（已留痕）' : '　身份证号、电话已脱敏'}`;
  return xlsxBuffer((wb) => {
    // 1. The household and its members.
    const info = new Sheet(wb, { name: '基本信息', span: MEMBER_COLS.length, widths: MEMBER_COLS.map((c) => c.width), freezeRows: 2, portrait: false });
    info.title(title);
    info.subtitle(sub);
    info.section('户基本情况 Household');
    info.pairs([
      ['户编号', h.householdNo, 'text'], ['户主姓名', h.headName],
      ['村民小组', h.groupName], ['贫困户属性', zh(h.attribute)],
      ['脱贫标志', zh(h.exitStatusLabel)], ['主要致贫原因', zh(h.mainCause)],
      ['其他致贫原因', h.otherCauses.map((c) => c.zh).join('、') || null], ['首次识别时间', h.identifiedOn],
      ['脱贫年度', h.exitYear], ['联系电话', h.phone, 'text'],
      ['帮扶单位', h.assistanceUnit], ['帮扶责任人', h.responsibleCadre],
      ['易地扶贫搬迁户', h.relocated ? '是' : '否'], ['家庭成员', r.members.length, 'int'],
    ], 3);
    info.blank();
    info.section(`家庭成员 Members（${r.members.length} 人）`);
    info.table(MEMBER_COLS, r.members);
    info.done();

    // 2. Yearly income against the line.
    const inc = new Sheet(wb, { name: '年度收入', span: YEAR_COLS.length, widths: YEAR_COLS.map((c) => c.width), freezeRows: 4, freezeCols: 1, printTitles: '3:4' });
    inc.title(`${h.headName} 户 年度收入与贫困线`);
    inc.subtitle(sub);
    inc.table(YEAR_COLS, r.years);
    inc.note('人均纯收入 =（工资性 + 生产经营性 + 财产性 + 转移性收入 − 生产经营性支出）÷ 家庭人口；教育补助、医疗报销、搬迁/危房补助记为“不计入的补助”，不计入收入。贫困线为该年度该村适用的政策参数。 Per-capita net income = (wage + production + property + transfers − production costs) ÷ household size; grants not counted are shown apart. The line is the policy parameter in force for the year and village.');
    inc.done();

    // 3. 两不愁三保障 by year.
    const chk = new Sheet(wb, { name: '两不愁三保障', span: CHECK_COLS.length, widths: CHECK_COLS.map((c) => c.width), freezeRows: 4, freezeCols: 1, printTitles: '3:4' });
    chk.title(`${h.headName} 户 两不愁三保障及饮水安全`);
    chk.subtitle(sub);
    chk.table(CHECK_COLS, r.years);
    chk.done();

    // 4. Assistance of the year.
    const a = r.assistance;
    const as = new Sheet(wb, { name: '帮扶情况', span: MEASURE_COLS.length, widths: MEASURE_COLS.map((c) => c.width), freezeRows: 2 });
    as.title(`${h.headName} 户 ${a.year ?? ''} 年度帮扶情况`);
    as.subtitle(sub);
    as.section('结对帮扶 Pairing');
    as.pairs([
      ['帮扶责任人', a.pairing?.cadreName ?? '未结对'], ['帮扶单位', a.pairing?.unitName ?? null],
      ['结对日期', a.pairing?.startedOn ?? null],
    ], 3);
    as.blank();
    as.section('一户一策 Household plan');
    if (a.plan) {
      as.pairs([
        ['帮扶需求', a.plan.needs.map((n) => n.zh).join('、') || null], ['需求说明', a.plan.needsNote || null],
        ['目标人均纯收入', a.plan.targetIncome, 'money'], ['目标年度', a.plan.targetYear],
        ['商定日期', a.plan.agreedOn], ['下次回访', a.plan.nextReviewOn ? `${a.plan.nextReviewOn}${a.plan.overdue ? '（已逾期）' : ''}` : null],
      ], 3);
      if (a.plan.agreedMeasures.length) {
        as.headers([{ zh: '商定措施', en: 'Agreed measure' }, { zh: '数量', en: 'Quantity' }, { zh: '单位', en: 'Unit' }, { zh: '金额（元）', en: 'Amount' }, { zh: '计划完成', en: 'Due' }, { zh: '说明', en: 'Note' }]);
        for (const m of a.plan.agreedMeasures) as.row([m.typeName.zh, m.quantity, m.unit.zh, m.amount, m.dueOn, m.note || null], [undefined, 'money', undefined, 'money']);
      }
    } else as.note('尚未制定一户一策 No household plan recorded.');
    as.blank();
    as.section(`${a.year ?? ''} 年度帮扶措施 Measures（${a.measures.length} 项）`);
    const totals: Cell[] = MEASURE_COLS.map((c) => (c.zh === '帮扶渠道' ? '合计 Total' : c.zh === '金额（元）' ? a.measuresTotal : null));
    as.table(MEASURE_COLS, a.measures, totals);
    as.done();
  });
}

