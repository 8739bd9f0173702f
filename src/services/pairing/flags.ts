// Flags on who helps whom (domain.md §4): households that still enjoy policies (脱贫标志 0, 1 or 3)
// without an open pairing, and active cadres whose ID number is a member of such a household.
// The live list for the office; the monitoring scan raises the same two as data-quality alerts
// (dq_no_responsible_cadre, dq_cadre_registered_poor) for a year.
import { PAIRED_STATUSES } from '../../domain/assistance/pairing.js';
import { maskIdNumber } from '../../domain/idnumber.js';
import type { Text } from '../../domain/policy-types.js';
import { require, scopePattern, type Ctx } from '../context.js';
import { statusLabel } from './pairings.js';
import { cadreScope, checkArea, params, villagePattern } from './shared.js';

export interface UnpairedFlag {
  householdId: number;
  householdNo: string;
  headName: string;
  villageCode: string;
  villageName: string;
  exitStatus: string;
  statusLabel: Text;
  /** When the household's last pairing ended, if it had one. */
  lastEndedOn: string | null;
}

export interface CadrePoorFlag {
  cadreId: number;
  cadreName: string;
  countyCode: string;
  unitName: string;
  idNumber: string;
  /** The household and member, only when the household is inside the actor's area (null otherwise). */
  householdId: number | null;
  householdNo: string | null;
  villageName: string | null;
  memberName: string | null;
  /** The county (code and name) whose register holds the person: all the actor learns of another county's household. */
  registeredCounty: string;
  registeredCountyName: string;
  exitStatus: string;
  statusLabel: Text;
}

const LIMIT = 500;

export async function assistanceFlags(ctx: Ctx, f: { area?: string }): Promise<{ unpaired: UnpairedFlag[]; unpairedTotal: number; cadresRegisteredPoor: CadrePoorFlag[] }> {
  require(ctx, 'register.read');
  const area = await checkArea(ctx.db, ctx.actor, f.area);
  const q = params();
  const pattern = villagePattern(ctx.actor, area);
  const county = pattern.length >= 7 ? `AND h.county_code = ${q.p(pattern.slice(0, 6))}` : '';
  const base = `FROM households h WHERE h.village_code LIKE ${q.p(pattern)} ${county} AND h.exit_status = ANY(${q.p([...PAIRED_STATUSES])}::text[])
      AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.county_code = h.county_code AND p.household_id = h.id AND p.ended_on IS NULL)`;
  const [n] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n ${base}`, q.list);
  const unpaired = await ctx.db.query<UnpairedFlag>(
    `SELECT h.id AS "householdId", h.household_no AS "householdNo", h.head_name AS "headName", h.village_code AS "villageCode",
            (SELECT name FROM areas WHERE code = h.village_code) AS "villageName", h.exit_status AS "exitStatus",
            (SELECT to_char(max(p.ended_on), 'YYYY-MM-DD') FROM pairings p WHERE p.county_code = h.county_code AND p.household_id = h.id) AS "lastEndedOn"
       ${base} ORDER BY h.village_code, h.household_no LIMIT ${LIMIT}`,
    q.list,
  );
  // Cadres the actor may see (and, with an area, those of its county or working there), matched by ID number with any county's members.
  const c = params();
  const conds = [cadreScope(ctx.actor, 'c', c.p), 'c.active'];
  if (area) conds.push(area.length <= 6 ? `c.county_code LIKE ${c.p(`${area}%`)}` : `c.county_code = ${c.p(area.slice(0, 6))}`);
  // The member may sit in a household of another county or village: its details are given only when
  // that household is inside the actor's own area, otherwise just the county (no record leaks).
  const mine = `h.village_code LIKE ${c.p(scopePattern(ctx.actor))}`;
  const poor = await ctx.db.query<CadrePoorFlag>(
    `SELECT c.id AS "cadreId", c.name AS "cadreName", c.county_code AS "countyCode", u.name AS "unitName", c.id_masked AS "idNumber",
            CASE WHEN ${mine} THEN h.id END AS "householdId", CASE WHEN ${mine} THEN h.household_no END AS "householdNo",
            CASE WHEN ${mine} THEN v.name END AS "villageName", CASE WHEN ${mine} THEN m.name END AS "memberName",
            h.county_code AS "registeredCounty", rc.name AS "registeredCountyName", h.exit_status AS "exitStatus"
       FROM cadres c JOIN assistance_units u ON u.county_code = c.county_code AND u.id = c.unit_id
       JOIN members m ON m.id_hash = c.id_hash
       JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id AND h.exit_status = ANY(${c.p([...PAIRED_STATUSES])}::text[])
       JOIN areas v ON v.code = h.village_code
       JOIN areas rc ON rc.code = h.county_code
      WHERE ${conds.join(' AND ')} ORDER BY c.county_code, c.name, c.id`,
    c.list,
  );
  return {
    unpaired: unpaired.map((r) => ({ ...r, householdId: Number(r.householdId), statusLabel: statusLabel(r.exitStatus) })),
    unpairedTotal: Number(n?.n ?? 0),
    cadresRegisteredPoor: poor.map((r) => ({ ...r, cadreId: Number(r.cadreId), householdId: r.householdId == null ? null : Number(r.householdId), idNumber: maskIdNumber(r.idNumber), statusLabel: statusLabel(r.exitStatus) })),
  };
}
