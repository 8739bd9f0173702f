// Relapse monitoring (防返贫): department data for the cross-checks, the scan, and its alerts.
export { DEPARTMENT_COLUMNS, loadDepartmentRecords, type LoadDepartmentInput, type LoadDepartmentResult } from './departments.js';
export { countiesToScan, runMonitoringScan, type ScanInput, type ScanMissing, type ScanResult, type ScanRuleCount } from './scan.js';
export {
  ALERT_STATUSES, ALERT_STATUS_LABELS, dismissAlert, getAlert, listAlerts, markAlertCaseOpened,
  type AlertList, type AlertStatus, type AlertView, type ListAlertsInput,
} from './alerts.js';
