// The two data-quality rules on who helps whom (domain.md §4, issue 5): a household that still
// enjoys policies (脱贫标志 0, 1 or 3) without a responsible cadre, and an active cadre who is a
// member of such a household. Pure, like monitoring-register.ts which calls it; the scan's SQL
// (services/monitoring/scan-sql.ts) gathers the facts set-based.

import { labelOf } from './codes.js';
import { maskIdNumber } from './idnumber.js';
import { PAIRED_STATUSES } from './assistance/pairing.js';
import type { HouseholdFacts, MonitoringAlert, YearFacts } from './monitoring-inputs.js';

const ENJOYS_POLICIES: ReadonlySet<string> = new Set(PAIRED_STATUSES);

function statusText(code: string) {
  return { zh: labelOf('exitStatus', code, 'zh'), en: labelOf('exitStatus', code, 'en') };
}

/** The assistance alerts of one household and year (none without a record of the year). */
export function assistanceAlerts(rec: YearFacts | null, h: HouseholdFacts | null): MonitoringAlert[] {
  if (!rec || !h || !ENJOYS_POLICIES.has(rec.status)) return [];
  const alerts: MonitoringAlert[] = [];
  const s = statusText(rec.status);
  const p = h.pairing;
  if (p && p.covered && !p.paired) {
    alerts.push({
      rule: 'dq_no_responsible_cadre', year: rec.year,
      facts: { year: rec.year, status: rec.status, asOf: p.asOf },
      params: [],
      reason: {
        zh: `数据质量：${rec.year} 年脱贫标志为“${s.zh}”，仍享受帮扶政策，但截至 ${p.asOf} 没有帮扶责任人；请在“结对帮扶”中为该户指定帮扶责任人`,
        en: `Data quality: the ${rec.year} status is "${s.en}", so the household still enjoys assistance, but it has no responsible cadre on ${p.asOf}; pair a responsible cadre with it under Pairing`,
      },
    });
  }
  const cadres = h.cadreMembers ?? [];
  if (cadres.length) {
    const who = cadres.map((c) => ({
      zh: `${c.cadreName}（${maskIdNumber(c.idNumber)}，${c.unitName}）`,
      en: `${c.cadreName} (${maskIdNumber(c.idNumber)}, ${c.unitName})`,
    }));
    alerts.push({
      rule: 'dq_cadre_registered_poor', year: rec.year,
      facts: {
        year: rec.year, status: rec.status,
        cadres: cadres.map((c) => ({ cadreId: c.cadreId, cadreName: c.cadreName, cadreCounty: c.cadreCounty, unitName: c.unitName, memberId: c.memberId, memberName: c.memberName, idNumber: maskIdNumber(c.idNumber) })),
      },
      params: [],
      reason: {
        zh: `数据质量：帮扶干部 ${who.map((w) => w.zh).join('、')}是本户成员，而本户 ${rec.year} 年脱贫标志为“${s.zh}”（建档立卡、享受政策）；帮扶干部不能是建档立卡人员：请核实身份证号，属实的更换帮扶干部并停用其干部记录`,
        en: `Data quality: the cadre${cadres.length > 1 ? 's' : ''} ${who.map((w) => w.en).join(', ')} ${cadres.length > 1 ? 'are members' : 'is a member'} of this household, whose ${rec.year} status is "${s.en}" (registered poor, enjoying policies); a cadre cannot be registered poor: check the ID number and, if it is right, replace the cadre and deactivate the cadre record`,
      },
    });
  }
  return alerts;
}
