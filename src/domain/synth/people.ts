// Members of one synthetic household: who lives together, their ages, sexes, ethnicity and
// names, then education, schooling, health and labour consistent with age (as of SNAPSHOT_YEAR).
import { findCode } from '../codes.js';
import { personName, type EthnicGroup } from './names.js';
import type { Rng } from './prng.js';
import { SNAPSHOT_YEAR, type CountyProfile } from './params.js';

export interface Person {
  relation: string;
  male: boolean;
  birthYear: number;
  birthMonth: number;
  birthDay: number;
  group: EthnicGroup;
  name: string;
  surname: string;
  education: string;
  studentStatus: string;
  health: string;
  disabilityGrade: string | null;
  labourAbility: string;
  workMonths: number;
}

const code = (zh: string) => {
  const c = findCode('ethnicity', zh)?.code;
  if (!c) throw new Error(`no ethnicity code for ${zh}`);
  return c;
};
export const ETHNICITY_CODE: Readonly<Record<EthnicGroup, string>> = Object.freeze({
  han: code('汉族'),
  mongolian: code('蒙古族'),
  manchu: code('满族'),
  hui: code('回族'),
  other: code('朝鲜族'),
});

export const age = (p: { birthYear: number }) => SNAPSHOT_YEAR - p.birthYear;

type Draft = Pick<Person, 'relation' | 'male' | 'birthYear'>;

const clampAge = (a: number) => Math.max(1, Math.min(98, Math.round(a)));
const born = (a: number) => SNAPSHOT_YEAR - clampAge(a);

/** Children of a mother aged `motherAge`, born when she was 20–36, at least one year apart where possible. */
function children(rng: Rng, n: number, motherAge: number, relations: [son: string, daughter: string]): Draft[] {
  const out: Draft[] = [];
  const ages = new Set<number>();
  for (let i = 0; i < n; i++) {
    let a = motherAge - rng.int(20, 36);
    for (let t = 0; t < 6 && (a < 1 || ages.has(a)); t++) a = motherAge - rng.int(20, 36);
    a = clampAge(a);
    ages.add(a);
    const male = rng.chance(0.52);
    out.push({ relation: male ? relations[0] : relations[1], male, birthYear: born(a) });
  }
  return out.sort((x, y) => x.birthYear - y.birthYear);
}

function spouseOf(rng: Rng, head: Draft): Draft {
  const gap = Math.round(Math.abs(rng.normal(2, 2.5)));
  const a = age(head) + (head.male ? -gap : gap);
  return { relation: '02', male: !head.male, birthYear: born(Math.max(20, a)) };
}

/** Relations, sexes and birth years for a household of `size` people. */
export function compose(rng: Rng, size: number): Draft[] {
  if (size === 1) {
    const a = rng.chance(0.75) ? rng.int(60, 90) : rng.int(38, 59);
    return [{ relation: '01', male: rng.chance(0.5), birthYear: born(a) }];
  }
  if (size === 2) {
    const r = rng.float();
    if (r < 0.6) {
      const head: Draft = { relation: '01', male: rng.chance(0.88), birthYear: born(rng.int(50, 88)) };
      return [head, spouseOf(rng, head)];
    }
    if (r < 0.8) {
      // An elderly parent with an adult child who stayed (often ill or disabled).
      const head: Draft = { relation: '01', male: rng.chance(0.45), birthYear: born(rng.int(62, 90)) };
      const a = Math.max(18, age(head) - rng.int(22, 38));
      const male = rng.chance(0.6);
      return [head, { relation: male ? '03' : '04', male, birthYear: born(a) }];
    }
    const head: Draft = { relation: '01', male: rng.chance(0.4), birthYear: born(rng.int(28, 50)) };
    return [head, ...children(rng, 1, age(head), ['03', '04'])];
  }
  const r = rng.float();
  if (r < 0.62 || (r >= 0.82 && size < 4)) {
    const head: Draft = { relation: '01', male: rng.chance(0.92), birthYear: born(rng.int(28, 62)) };
    const spouse = spouseOf(rng, head);
    const mother = head.male ? spouse : head;
    const kids = children(rng, size - 2, age(mother), ['03', '04']);
    // Now and then an unmarried sibling of the head lives with them instead of a child.
    if (kids.length > 1 && rng.chance(0.04)) {
      kids.pop();
      const male = rng.chance(0.6);
      kids.push({ relation: rng.chance(0.8) ? '11' : '99', male, birthYear: born(Math.max(16, age(head) + rng.int(-10, 10))) });
    }
    return [head, spouse, ...kids];
  }
  if (r < 0.82) {
    // Three generations upward: the head's parent(s) live with the family.
    const nParents = size === 3 ? 1 : size === 4 ? (rng.chance(0.5) ? 1 : 2) : 2;
    const head: Draft = { relation: '01', male: rng.chance(0.92), birthYear: born(rng.int(28, 58)) };
    const spouse = spouseOf(rng, head);
    const fatherAge = Math.min(96, age(head) + rng.int(22, 36));
    const parents: Draft[] =
      nParents === 2
        ? [
            { relation: '09', male: true, birthYear: born(fatherAge) },
            { relation: '10', male: false, birthYear: born(Math.max(age(head) + 20, fatherAge - rng.int(0, 5))) },
          ]
        : [rng.chance(0.65) ? { relation: '10', male: false, birthYear: born(fatherAge - rng.int(0, 4)) } : { relation: '09', male: true, birthYear: born(fatherAge) }];
    const mother = head.male ? spouse : head;
    return [head, spouse, ...parents, ...children(rng, size - 2 - nParents, age(mother), ['03', '04'])];
  }
  // Three generations downward: an older head, a married child and grandchildren.
  const head: Draft = { relation: '01', male: rng.chance(0.85), birthYear: born(rng.int(56, 80)) };
  const out: Draft[] = [head];
  if (size >= 5 || rng.chance(0.7)) out.push(spouseOf(rng, head));
  const daughterLine = rng.chance(0.2); // a daughter whose husband married in (上门女婿)
  const childAge = Math.max(20, age(head) - rng.int(22, 34));
  const partnerAge = Math.max(20, childAge + rng.int(-3, 4));
  const child: Draft = { relation: daughterLine ? '04' : '03', male: !daughterLine, birthYear: born(childAge) };
  const partner: Draft = { relation: daughterLine ? '06' : '05', male: daughterLine, birthYear: born(partnerAge) };
  out.push(child, partner);
  const motherAge = daughterLine ? childAge : partnerAge;
  out.push(...children(rng, Math.max(0, size - out.length), motherAge, ['07', '08']));
  return out.slice(0, size);
}

function ethnicGroup(rng: Rng, profile: CountyProfile): EthnicGroup {
  const x = rng.float();
  if (x < profile.mongolian) return 'mongolian';
  if (x < profile.mongolian + profile.manchu) return 'manchu';
  if (x < profile.mongolian + profile.manchu + profile.hui) return 'hui';
  if (x < profile.mongolian + profile.manchu + profile.hui + 0.002) return 'other';
  return 'han';
}

const inMarried = new Set(['02', '05', '06']);
const childOfHead = new Set(['03', '04']);
const grandchild = new Set(['07', '08']);

/** Ethnic groups and names. Spouses marry within their group about 80% of the time; children of mixed couples are mostly registered Mongolian. */
export function nameAll(rng: Rng, drafts: readonly Draft[], profile: CountyProfile): Pick<Person, 'group' | 'name' | 'surname'>[] {
  const headGroup = ethnicGroup(rng, profile);
  const partnerGroup = (g: EthnicGroup): EthnicGroup => (rng.chance(0.8) ? g : g === 'han' ? 'mongolian' : 'han');
  const out: Pick<Person, 'group' | 'name' | 'surname'>[] = [];
  const head = drafts[0] as Draft;
  const headName = personName(rng, { group: headGroup, male: head.male, birthYear: head.birthYear });
  out.push({ group: headGroup, ...headName });
  const spouseIdx = drafts.findIndex((d) => d.relation === '02');
  const spouseGroup = spouseIdx >= 0 ? partnerGroup(headGroup) : headGroup;
  const mixed = (a: EthnicGroup, b: EthnicGroup): EthnicGroup =>
    a === b ? a : a === 'mongolian' || b === 'mongolian' ? (rng.chance(0.85) ? 'mongolian' : 'han') : a;
  const kidGroup = mixed(headGroup, spouseGroup);
  let spouseSurname: string | undefined;
  const fatherSurname = () => (head.male ? headName.surname : spouseSurname);
  // The child generation's own couple (son + daughter-in-law, or daughter + son-in-law).
  let lineSurname: string | undefined;
  let lineGroup: EthnicGroup = kidGroup;
  let partnerOfLine: EthnicGroup | undefined;
  for (let i = 1; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    let group: EthnicGroup;
    let family: string | undefined;
    if (d.relation === '02') {
      group = spouseGroup;
    } else if (childOfHead.has(d.relation)) {
      group = kidGroup;
      family = fatherSurname();
    } else if (d.relation === '09') {
      group = headGroup;
      family = head.male ? headName.surname : undefined;
    } else if (d.relation === '11') {
      group = headGroup;
      family = headName.surname;
    } else if (grandchild.has(d.relation)) {
      group = partnerOfLine ? mixed(lineGroup, partnerOfLine) : lineGroup;
      family = lineSurname;
    } else if (inMarried.has(d.relation)) {
      group = partnerGroup(kidGroup);
      partnerOfLine = group;
    } else {
      group = headGroup;
    }
    const n = personName(rng, { group, male: d.male, birthYear: d.birthYear, familySurname: family });
    if (d.relation === '02') spouseSurname = n.surname;
    if (d.relation === '03' && !lineSurname) ((lineSurname = n.surname), (lineGroup = group));
    if (d.relation === '06') ((lineSurname = n.surname), (lineGroup = group));
    out.push({ group, ...n });
  }
  return out;
}

/** Age on 1 September of the snapshot year, which decides the school grade. */
function schoolAge(p: { birthYear: number; birthMonth: number }): number {
  return SNAPSHOT_YEAR - p.birthYear - (p.birthMonth >= 9 ? 1 : 0);
}

/** Highest schooling of adults by birth cohort (codes 1–6), older cohorts less schooled. */
function adultEducation(rng: Rng, birthYear: number): string {
  const x = rng.float();
  const cuts =
    birthYear < 1950 ? [0.4, 0.85, 0.98, 0.995, 1] : birthYear < 1966 ? [0.2, 0.65, 0.93, 0.985, 0.995] : birthYear < 1981 ? [0.08, 0.43, 0.85, 0.95, 0.98] : birthYear < 1996 ? [0.03, 0.23, 0.7, 0.85, 0.93] : [0.01, 0.09, 0.49, 0.67, 0.82];
  const i = cuts.findIndex((c) => x < c);
  return String(i < 0 ? 6 : i + 1);
}

/** Student status and education, consistent with age on 1 September of the snapshot year. */
export function schooling(rng: Rng, p: { birthYear: number; birthMonth: number }): { studentStatus: string; education: string } {
  const a = schoolAge(p);
  if (a <= 2) return { studentStatus: '0', education: '7' };
  if (a <= 5) return { studentStatus: rng.chance(0.85) ? '1' : '0', education: '7' };
  if (a <= 11) return { studentStatus: '2', education: '2' };
  if (a <= 14) return { studentStatus: String(3 + a - 12), education: '3' };
  if (a <= 17) {
    const x = rng.float();
    if (x < 0.6) return { studentStatus: String(6 + a - 15), education: '4' };
    if (x < 0.88) return { studentStatus: '9', education: '5' };
    return { studentStatus: '0', education: '3' };
  }
  if (a <= 21) {
    const x = rng.float();
    if (x < 0.2) return { studentStatus: '10', education: '6' };
    if (x < 0.38) return { studentStatus: '11', education: '6' };
    return { studentStatus: '0', education: String(Math.max(3, Number(adultEducation(rng, p.birthYear)))) };
  }
  if (a === 22 && rng.chance(0.1)) return { studentStatus: '11', education: '6' };
  return { studentStatus: '0', education: adultEducation(rng, p.birthYear) };
}

export const isSchoolStudent = (s: string) => s !== '0' && s !== '1';

/** Health by age: chronic illness, serious illness and disability become likelier with age. */
export function baselineHealth(rng: Rng, a: number): { health: string; disabilityGrade: string | null } {
  const [chronic, serious, disabled] = a < 18 ? [0.01, 0.003, 0.015] : a < 45 ? [0.05, 0.01, 0.04] : a < 60 ? [0.14, 0.03, 0.07] : [0.28, 0.05, 0.09];
  const x = rng.float();
  if (x < disabled) return { health: '4', disabilityGrade: disabilityGrade(rng) };
  if (x < disabled + serious) return { health: '3', disabilityGrade: null };
  if (x < disabled + serious + chronic) return { health: '2', disabilityGrade: null };
  return { health: '1', disabilityGrade: null };
}

export function disabilityGrade(rng: Rng): string {
  const x = rng.float();
  return x < 0.12 ? '1' : x < 0.35 ? '2' : x < 0.65 ? '3' : '4';
}

/** Can this person work, given age, schooling and health? (before the labour code is drawn) */
export function ableToWork(p: Pick<Person, 'birthYear' | 'studentStatus' | 'health' | 'disabilityGrade'>): boolean {
  const a = age(p);
  if (a < 16 || a >= 65 || p.studentStatus !== '0') return false;
  if (p.health === '3') return false;
  if (p.health === '4' && (p.disabilityGrade === '1' || p.disabilityGrade === '2')) return false;
  return true;
}

/** Labour ability and months worked away from home, from age, schooling and health. */
export function labour(rng: Rng, p: Pick<Person, 'birthYear' | 'studentStatus' | 'health' | 'disabilityGrade' | 'education'>): { labourAbility: string; workMonths: number } {
  const a = age(p);
  if (a < 16 || p.studentStatus !== '0') return { labourAbility: '4', workMonths: 0 };
  if (p.health === '3' || (p.health === '4' && (p.disabilityGrade === '1' || p.disabilityGrade === '2'))) return { labourAbility: '3', workMonths: 0 };
  if (a >= 65) return { labourAbility: rng.chance(0.75) ? '4' : '1', workMonths: 0 };
  const skilled = rng.chance(Number(p.education) >= 4 && p.education !== '7' ? 0.3 : 0.08);
  const away = a >= 18 && a <= 55 && p.health === '1' && rng.chance(0.4);
  return { labourAbility: skilled ? '2' : '1', workMonths: away ? rng.int(3, 11) : 0 };
}

/** A full member list: composition, names, birth dates, schooling, baseline health, labour. */
export function members(rng: Rng, size: number, profile: CountyProfile): Person[] {
  const drafts = compose(rng, size);
  const named = nameAll(rng, drafts, profile);
  const out: Person[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as Draft;
    const n = named[i] as Pick<Person, 'group' | 'name' | 'surname'>;
    const birthMonth = rng.int(1, 12);
    const birthDay = rng.int(1, daysIn(d.birthYear, birthMonth));
    const s = schooling(rng, { birthYear: d.birthYear, birthMonth });
    const h = baselineHealth(rng, SNAPSHOT_YEAR - d.birthYear);
    const l = labour(rng, { birthYear: d.birthYear, studentStatus: s.studentStatus, education: s.education, health: h.health, disabilityGrade: h.disabilityGrade });
    out.push({
      relation: d.relation,
      male: d.male,
      birthYear: d.birthYear,
      birthMonth,
      birthDay,
      group: n.group,
      name: n.name,
      surname: n.surname,
      education: s.education,
      studentStatus: s.studentStatus,
      health: h.health,
      disabilityGrade: h.disabilityGrade,
      labourAbility: l.labourAbility,
      workMonths: l.workMonths,
    });
  }
  return out;
}

export function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}
