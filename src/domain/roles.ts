// Roles and what each may do. One place decides role × action; area scope is checked by
// isWithin(area, actor.areaCode) in the services.

export const ROLES = [
  'city_admin',
  'county_office',
  'township_reviewer',
  'village_cadre',
  'industry_bureau',
  'inspector',
  'evaluator',
  'researcher',
] as const;
export type Role = (typeof ROLES)[number];

export const roleLabels: Record<Role, { zh: string; en: string }> = {
  city_admin: { zh: '市级管理员', en: 'City administrator' },
  county_office: { zh: '旗县扶贫办', en: 'County office' },
  township_reviewer: { zh: '苏木乡镇审核员', en: 'Township reviewer' },
  village_cadre: { zh: '嘎查村干部/驻村工作队', en: 'Village cadre / work team' },
  industry_bureau: { zh: '行业部门', en: 'Industry bureau' },
  inspector: { zh: '督查检查', en: 'Inspector' },
  evaluator: { zh: '第三方评估人员', en: 'Third-party evaluator' },
  researcher: { zh: '研究人员（仅汇总数据）', en: 'Researcher (aggregates only)' },
};

export type Action =
  | 'register.read' // personal records: households, members, yearly records
  | 'register.write' // create and correct households, members, yearly records
  | 'register.import'
  | 'register.export'
  | 'aggregates.read' // counts and indicators without personal data
  | 'areas.write'
  | 'users.manage'
  | 'policy.write' // set policy parameters (poverty line, thresholds, notice periods); reading needs aggregates.read
  | 'monitor.scan' // run the relapse-monitoring scan and load other departments' records for matching
  | 'assistance.manage' // assistance units, cadres, work teams, pairings, county measure types
  | 'assistance.write' // household plans, visits, measures given to households
  | 'projects.write' // project library: budgets, disbursements, beneficiaries, assets and their income
  | 'assessment.manage' // evaluation plans: create, draw the sample, assign evaluators, close (inspectors only; offices being checked never)
  | 'assessment.survey' // enter and import questionnaires of a plan the account is a member of
  | 'assessment.read' // every evaluation plan in the area, its sample and questionnaires, read-only (the city's supervisors)
  | 'supervision.read' // scorecards of townships and cadres
  | 'audit.verify' // recompute the whole audit log's hash chain (every county's rows: the city only; the console operator too)
  | 'alerts.handle'; // dismiss a monitoring alert or open a monitoring case from it (steps of a case follow domain/workflows/)

const can: Record<Role, readonly Action[]> = {
  city_admin: ['register.read', 'register.write', 'register.import', 'register.export', 'aggregates.read', 'areas.write', 'users.manage', 'policy.write', 'monitor.scan', 'alerts.handle', 'assistance.manage', 'assistance.write', 'projects.write', 'assessment.read', 'supervision.read', 'audit.verify'],
  county_office: ['register.read', 'register.write', 'register.import', 'register.export', 'aggregates.read', 'users.manage', 'monitor.scan', 'alerts.handle', 'assistance.manage', 'assistance.write', 'projects.write', 'supervision.read'],
  township_reviewer: ['register.read', 'register.write', 'register.export', 'aggregates.read', 'alerts.handle', 'assistance.manage', 'assistance.write', 'supervision.read'],
  village_cadre: ['register.read', 'register.write', 'aggregates.read', 'alerts.handle', 'assistance.write'],
  // Industry bureaus record the measures of their channel and keep their projects.
  industry_bureau: ['register.read', 'aggregates.read', 'assistance.write', 'projects.write'],
  // Inspectors read the register (read-only) and run evaluations; within evaluation data they see only
  // the plans they are members of (services/assessment/access.ts).
  inspector: ['register.read', 'register.export', 'aggregates.read', 'assessment.manage', 'assessment.survey', 'supervision.read'],
  // Third-party evaluators see only their plans' samples and enter questionnaires; aggregates (no personal data), no register access.
  evaluator: ['aggregates.read', 'assessment.survey'],
  researcher: ['aggregates.read'],
};

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

export function mayDo(role: Role, action: Action): boolean {
  return can[role].includes(action);
}

export function actionsOf(role: Role): readonly Action[] {
  return can[role];
}
