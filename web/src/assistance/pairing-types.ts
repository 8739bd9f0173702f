// Shapes of the assistance (who helps whom) API, as the server's views return them.
export interface Text { zh: string; en: string }
export interface Page<T> { items: T[]; total: number; page: number; pageSize: number }

export interface Unit {
  id: number; countyCode: string; countyName: string; name: string; kind: string; kindLabel: Text; level: string; levelLabel: Text;
  contactName: string | null; contactPhone: string | null; cadres: number; openPairings: number;
}
export interface Cadre {
  id: number; countyCode: string; unitId: number; unitName: string; name: string; idNumber: string; phone: string | null; position: string | null;
  userId: number | null; active: boolean; openPairings: number; teams: { teamId: number; villageCode: string; villageName: string; role: string }[];
}
export interface TeamMember { cadreId: number; name: string; role: string; roleLabel: Text; startedOn: string; endedOn: string | null }
export interface Team {
  id: number; countyCode: string; villageCode: string; villageName: string; townshipName: string | null; unitId: number; unitName: string;
  startedOn: string; endedOn: string | null; members: TeamMember[];
}
export interface Pairing {
  id: number; countyCode: string; householdId: number; householdNo: string; headName: string; villageCode: string; villageName: string;
  exitStatus: string; statusLabel: Text; cadreId: number; cadreName: string; unitId: number; unitName: string;
  startedOn: string; endedOn: string | null; endReason: string | null; createdBy: string;
}
export interface Flags {
  unpaired: { householdId: number; householdNo: string; headName: string; villageCode: string; villageName: string | null; exitStatus: string; statusLabel: Text; lastEndedOn: string | null }[];
  unpairedTotal: number;
  cadresRegisteredPoor: { cadreId: number; cadreName: string; countyCode: string; unitName: string; idNumber: string; householdId: number | null; householdNo: string | null; villageName: string | null; memberName: string | null; registeredCounty: string; registeredCountyName: string; exitStatus: string; statusLabel: Text }[];
}
export interface Frequency {
  from: string; to: string; months: number; basis: 'given' | 'this_year' | 'latest_visit_year'; latestVisit: string | null;
  items: { cadreId: number; cadreName: string; unitName: string; householdsPaired: number; visits: number; visitsPerHouseholdMonth: number | null; lastVisit: string | null; notVisited: number; notVisitedHouseholds: { householdId: number; householdNo: string; headName: string }[] }[];
}
export interface AgreedMeasure { typeCode: string; typeName: Text; unit: Text; quantity: number | null; amount: number | null; dueOn: string | null; note: string }
export interface Plan {
  householdId: number; countyCode: string; exists: boolean; needs: { code: string; label: Text }[]; needsNote: string; agreedMeasures: AgreedMeasure[];
  targetIncome: number | null; targetYear: number | null; targetsNote: string; cadreId: number | null; cadreName: string | null; agreedOn: string | null;
  reviewEveryMonths: number; lastReviewedOn: string | null; nextReviewOn: string | null; overdue: boolean; version: number; updatedAt: string | null;
}
export interface Visit {
  id: number; countyCode: string; householdId: number; householdNo: string; headName: string; villageCode: string; villageName: string;
  cadreId: number | null; cadreName: string | null; visitedOn: string; kind: string; kindLabel: Text; findings: string; followUps: string;
  followUpDue: string | null; followUpDoneOn: string | null; followUpOverdue: boolean; createdBy: string;
}
export interface MeasureTypeOption { code: string; name: Text; unit: Text; channelLabel: Text; active: boolean }

export const UNIT_KINDS = ['party_gov', 'institution', 'soe', 'private', 'social', 'east_west', 'other'] as const;
export const UNIT_LEVELS = ['central', 'province', 'city', 'county', 'township'] as const;
export const TEAM_ROLES = ['first_secretary', 'leader', 'member'] as const;
export const VISIT_KINDS = ['home', 'phone', 'meeting'] as const;

/** Today in China time (UTC+8), YYYY-MM-DD: the server refuses later dates for visits and pairings. */
export function todayCn(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
