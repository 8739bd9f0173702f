// Reports offices hand in (报表) and the public-data export for researchers (公开数据), issue 6.
export { householdReport, householdWorkbook, type HouseholdReport, type HouseholdReportInput } from './household.js';
export { villageReport, villageWorkbook, type VillageReport } from './village.js';
export { countyExitReport, countyExitWorkbook, type CountyExitReport, type SurveyCounts } from './county-exit.js';
export { publicData, publicDataWorkbook, publicDataCsv, MIN_CELL, type PublicData } from './public-data.js';
export { mpiReport, mpiWorkbook, type MpiReport } from './mpi.js';
