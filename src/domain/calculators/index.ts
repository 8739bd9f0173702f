// The policy calculators (domain.md §7, issue 5): each checks its input (per-field reasons in zh and
// en) and computes from parameters read through a lookup, never from the database. One file each:
// medical.ts, education.ts, ecology.ts, solar.ts; shared shapes and arithmetic in common.ts.
import type { CalcResult, CalculatorKind, YearLookup } from './common.js';
import { calcEcology, checkEcology } from './ecology.js';
import { calcEducation, checkEducation } from './education.js';
import { calcMedical, checkMedical } from './medical.js';
import { calcSolar, checkSolar } from './solar.js';

export * from './common.js';
export { calcMedical, checkMedical, MEDICAL_LAYERS, PERSON_CATEGORIES, type MedicalInput } from './medical.js';
export { calcEducation, checkEducation, STAGES, type EducationInput } from './education.js';
export { calcEcology, checkEcology, PROGRAMMES, SCHEDULES, type EcologyInput } from './ecology.js';
export { calcSolar, checkSolar, PURPOSES, type SolarInput } from './solar.js';


/** Checks `raw` (throws ValidationError naming each bad field) and returns the checked input. */
export function checkInput(kind: CalculatorKind, raw: unknown): { year: number; area: string } {
  switch (kind) {
    case 'medical': return checkMedical(raw);
    case 'education': return checkEducation(raw);
    case 'ecology': return checkEcology(raw);
    case 'solar': return checkSolar(raw);
  }
}

/** Computes a checked input of `kind` (the value checkInput returned). */
export function calculate(kind: CalculatorKind, input: { year: number; area: string }, lookup: YearLookup): CalcResult {
  switch (kind) {
    case 'medical': return calcMedical(input as ReturnType<typeof checkMedical>, lookup);
    case 'education': return calcEducation(input as ReturnType<typeof checkEducation>, lookup);
    case 'ecology': return calcEcology(input as ReturnType<typeof checkEcology>, lookup);
    case 'solar': return calcSolar(input as ReturnType<typeof checkSolar>, lookup);
  }
}
