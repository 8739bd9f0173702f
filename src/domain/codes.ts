// Code lists (代码表) with Chinese and English labels, shared by import templates, validation,
// the API and the UI. Codes are short strings as stored in the register.

export interface CodeItem {
  code: string;
  zh: string;
  en: string;
}

export type CodeListKey =
  | 'attribute'
  | 'exitStatus'
  | 'cause'
  | 'relation'
  | 'sex'
  | 'ethnicity'
  | 'education'
  | 'studentStatus'
  | 'health'
  | 'disabilityGrade'
  | 'labourAbility';

export interface CodeList {
  key: CodeListKey;
  zh: string;
  en: string;
  items: readonly CodeItem[];
}

type Row = readonly [code: string, zh: string, en: string];

function list(key: CodeListKey, zh: string, en: string, rows: readonly Row[]): CodeList {
  return Object.freeze({
    key,
    zh,
    en,
    items: Object.freeze(rows.map(([code, z, e]) => Object.freeze({ code, zh: z, en: e }))),
  });
}

/** 民族 per GB/T 3304-1991 (code, name, official romanisation). */
const ETHNICITIES: readonly Row[] = [
  ['01', '汉族', 'Han'],
  ['02', '蒙古族', 'Mongol'],
  ['03', '回族', 'Hui'],
  ['04', '藏族', 'Zang (Tibetan)'],
  ['05', '维吾尔族', 'Uygur'],
  ['06', '苗族', 'Miao'],
  ['07', '彝族', 'Yi'],
  ['08', '壮族', 'Zhuang'],
  ['09', '布依族', 'Buyei'],
  ['10', '朝鲜族', 'Chosen (Korean)'],
  ['11', '满族', 'Man (Manchu)'],
  ['12', '侗族', 'Dong'],
  ['13', '瑶族', 'Yao'],
  ['14', '白族', 'Bai'],
  ['15', '土家族', 'Tujia'],
  ['16', '哈尼族', 'Hani'],
  ['17', '哈萨克族', 'Kazak'],
  ['18', '傣族', 'Dai'],
  ['19', '黎族', 'Li'],
  ['20', '傈僳族', 'Lisu'],
  ['21', '佤族', 'Va'],
  ['22', '畲族', 'She'],
  ['23', '高山族', 'Gaoshan'],
  ['24', '拉祜族', 'Lahu'],
  ['25', '水族', 'Sui'],
  ['26', '东乡族', 'Dongxiang'],
  ['27', '纳西族', 'Naxi'],
  ['28', '景颇族', 'Jingpo'],
  ['29', '柯尔克孜族', 'Kirgiz'],
  ['30', '土族', 'Tu'],
  ['31', '达斡尔族', 'Daur'],
  ['32', '仫佬族', 'Mulao'],
  ['33', '羌族', 'Qiang'],
  ['34', '布朗族', 'Blang'],
  ['35', '撒拉族', 'Salar'],
  ['36', '毛南族', 'Maonan'],
  ['37', '仡佬族', 'Gelao'],
  ['38', '锡伯族', 'Xibe'],
  ['39', '阿昌族', 'Achang'],
  ['40', '普米族', 'Pumi'],
  ['41', '塔吉克族', 'Tajik'],
  ['42', '怒族', 'Nu'],
  ['43', '乌孜别克族', 'Uzbek'],
  ['44', '俄罗斯族', 'Russ'],
  ['45', '鄂温克族', 'Ewenki'],
  ['46', '德昂族', 'Deang'],
  ['47', '保安族', 'Bonan'],
  ['48', '裕固族', 'Yugur'],
  ['49', '京族', 'Gin'],
  ['50', '塔塔尔族', 'Tatar'],
  ['51', '独龙族', 'Derung'],
  ['52', '鄂伦春族', 'Oroqen'],
  ['53', '赫哲族', 'Hezhen'],
  ['54', '门巴族', 'Monba'],
  ['55', '珞巴族', 'Lhoba'],
  ['56', '基诺族', 'Jino'],
  ['97', '其他', 'Other'],
  ['98', '外国血统中国籍人士', 'Chinese citizen of foreign origin'],
];

export const codeLists: Record<CodeListKey, CodeList> = Object.freeze({
  attribute: list('attribute', '贫困户属性', 'Household attribute', [
    ['1', '一般贫困户', 'Ordinary poor household'],
    ['2', '低保贫困户', 'Poor household on minimum living allowance (dibao)'],
    ['3', '特困供养贫困户', 'Poor household on extreme-poverty support (tekun)'],
    ['4', '一般脱贫户', 'Ordinary household out of poverty'],
    ['5', '低保脱贫户', 'Dibao household out of poverty'],
    ['6', '特困供养脱贫户', 'Tekun household out of poverty'],
  ]),
  exitStatus: list('exitStatus', '脱贫标志', 'Poverty exit status', [
    ['0', '未脱贫', 'Not out of poverty'],
    ['1', '已脱贫(享受政策)', 'Out of poverty (still receiving support)'],
    ['3', '返贫', 'Returned to poverty'],
    ['4', '已脱贫(不再享受政策)', 'Out of poverty (no longer receiving support)'],
  ]),
  cause: list('cause', '致贫原因', 'Cause of poverty', [
    ['01', '因病', 'Illness'],
    ['02', '因残', 'Disability'],
    ['03', '因学', 'Schooling costs'],
    ['04', '因灾', 'Natural disaster'],
    ['05', '缺土地', 'Lack of land'],
    ['06', '缺水', 'Lack of water'],
    ['07', '缺技术', 'Lack of skills'],
    ['08', '缺劳力', 'Lack of labour'],
    ['09', '缺资金', 'Lack of capital'],
    ['10', '交通条件落后', 'Poor transport access'],
    ['11', '自身发展动力不足', 'Lack of motivation to develop'],
  ]),
  relation: list('relation', '与户主关系', 'Relation to household head', [
    ['01', '户主', 'Head of household'],
    ['02', '配偶', 'Spouse'],
    ['03', '之子', 'Son'],
    ['04', '之女', 'Daughter'],
    ['05', '之儿媳', 'Daughter-in-law'],
    ['06', '之女婿', 'Son-in-law'],
    ['07', '之孙子', 'Grandson'],
    ['08', '之孙女', 'Granddaughter'],
    ['09', '之父', 'Father'],
    ['10', '之母', 'Mother'],
    ['11', '兄弟姐妹', 'Sibling'],
    ['99', '其他', 'Other'],
  ]),
  sex: list('sex', '性别', 'Sex', [
    ['1', '男', 'Male'],
    ['2', '女', 'Female'],
  ]),
  ethnicity: list('ethnicity', '民族', 'Ethnic group', ETHNICITIES),
  education: list('education', '文化程度', 'Education', [
    ['1', '文盲或半文盲', 'Illiterate or semi-literate'],
    ['2', '小学', 'Primary school'],
    ['3', '初中', 'Junior secondary school'],
    ['4', '高中', 'Senior secondary school'],
    ['5', '中专(中技)', 'Secondary vocational or technical school'],
    ['6', '大专及以上', 'Junior college or above'],
    ['7', '学龄前儿童', 'Pre-school child'],
  ]),
  studentStatus: list('studentStatus', '在校生状况', 'Student status', [
    ['0', '非在校生', 'Not in school'],
    ['1', '学前教育', 'Pre-school education'],
    ['2', '小学', 'Primary school'],
    ['3', '七年级', 'Grade 7'],
    ['4', '八年级', 'Grade 8'],
    ['5', '九年级', 'Grade 9'],
    ['6', '高中一年级', 'Senior secondary year 1'],
    ['7', '高中二年级', 'Senior secondary year 2'],
    ['8', '高中三年级', 'Senior secondary year 3'],
    ['9', '中职', 'Secondary vocational school'],
    ['10', '高职/大专', 'Higher vocational school or junior college'],
    ['11', '本科及以上', 'Undergraduate or above'],
  ]),
  health: list('health', '健康状况', 'Health', [
    ['1', '健康', 'Healthy'],
    ['2', '长期慢性病', 'Long-term chronic illness'],
    ['3', '患有大病', 'Serious illness'],
    ['4', '残疾', 'Disabled'],
  ]),
  disabilityGrade: list('disabilityGrade', '残疾等级', 'Disability grade', [
    ['1', '一级残疾', 'Grade 1 disability (most severe)'],
    ['2', '二级残疾', 'Grade 2 disability'],
    ['3', '三级残疾', 'Grade 3 disability'],
    ['4', '四级残疾', 'Grade 4 disability (least severe)'],
  ]),
  labourAbility: list('labourAbility', '劳动能力', 'Labour ability', [
    ['1', '普通劳动力', 'Ordinary labour'],
    ['2', '技能劳动力', 'Skilled labour'],
    ['3', '丧失劳动力', 'Lost ability to work'],
    ['4', '无劳动力', 'No labour ability'],
  ]),
});

/**
 * Other spellings accepted by findCode (never shown): common English names, and for
 * ethnic groups the name without 族 (e.g. 蒙古) and the usual English demonym.
 */
const ALIASES: Partial<Record<CodeListKey, Record<string, string>>> = {
  sex: { m: '1', f: '2', 男性: '1', 女性: '2', man: '1', woman: '2' },
  ethnicity: {
    mongolian: '02',
    tibetan: '04',
    zang: '04',
    uyghur: '05',
    uighur: '05',
    korean: '10',
    chosen: '10',
    manchu: '11',
    man: '11',
    kazakh: '17',
    kyrgyz: '29',
    russian: '44',
    evenki: '45',
    "de'ang": '46',
    jing: '49',
    drung: '51',
  },
  disabilityGrade: { 一级: '1', 二级: '2', 三级: '3', 四级: '4' },
};

/** Trims, folds full-width ASCII (digits, parentheses, slash…) to half-width, lower-cases. */
function fold(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode((c.charCodeAt(0) ?? 0) - 0xfee0))
    .replace(/[\s\u00A0\u3000]+/g, ' ')
    .trim()
    .toLowerCase();
}

interface Index {
  byCode: Map<string, CodeItem>;
  byText: Map<string, CodeItem>;
  /** All codes are two digits ('01'…), so an unpadded '1' (Excel drops the zero) is '01'. */
  padded: boolean;
}

const indexes = new Map<CodeListKey, Index>();

function indexOf(key: CodeListKey): Index {
  let idx = indexes.get(key);
  if (idx) return idx;
  const items = codeLists[key].items;
  const byCode = new Map(items.map((i) => [i.code, i] as const));
  const byText = new Map<string, CodeItem>();
  const add = (text: string, item: CodeItem | undefined) => {
    const k = fold(text);
    if (item && k && !byText.has(k)) byText.set(k, item);
  };
  for (const i of items) {
    add(i.zh, i);
    add(i.en, i);
  }
  for (const [text, code] of Object.entries(ALIASES[key] ?? {})) add(text, byCode.get(code));
  if (key === 'ethnicity') {
    for (const i of items) if (i.zh.endsWith('族') && i.zh.length > 2) add(i.zh.slice(0, -1), i);
    // The romanised name before a bracketed gloss: 'Zang (Tibetan)' → 'zang'.
    for (const i of items) add(i.en.replace(/\s*\(.*\)$/, ''), i);
  }
  idx = { byCode, byText, padded: items.every((i) => /^\d{2}$/.test(i.code)) };
  indexes.set(key, idx);
  return idx;
}

/**
 * Finds an item by its code, Chinese label or English label (trimmed; English is
 * case-insensitive; full-width digits and brackets are read as half-width). In lists whose
 * codes are all two digits, a single digit is read with its leading zero (Excel drops it).
 */
export function findCode(key: CodeListKey, input: string): CodeItem | undefined {
  if (typeof input !== 'string') return undefined;
  const idx = indexOf(key);
  const t = fold(input);
  if (t === '') return undefined;
  const byCode = idx.byCode.get(t) ?? (idx.padded && /^\d$/.test(t) ? idx.byCode.get(`0${t}`) : undefined);
  return byCode ?? idx.byText.get(t);
}

/** The label of a code in the given language; the code itself when it is not in the list. */
export function labelOf(key: CodeListKey, code: string, lang: 'zh' | 'en' = 'zh'): string {
  const item = indexOf(key).byCode.get(code);
  return item ? item[lang] : code;
}

/** True when `code` is exactly one of the list's codes. */
export function isCode(key: CodeListKey, code: string): boolean {
  return indexOf(key).byCode.has(code);
}
