// Supervision (issue 8): scorecards of townships, counties and responsible cadres, their trend by
// month, and the Excel workbook.
export * from './scorecards.js';
export { scorecardBook, scorecardsWorkbook, type ScorecardBook } from './workbook.js';
