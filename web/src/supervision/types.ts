// Shapes of the scorecard endpoints (考核评分, issue 8), straight from the generated schema.
import type { paths } from '../api/schema';

type Ok<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;

export type ScorecardTable = Ok<'/api/v1/supervision/scorecards'>;
export type ScorecardRow = ScorecardTable['rows'][number];
export type IndicatorInfo = ScorecardTable['indicators'][number];
export type IndicatorValue = ScorecardRow['indicators']['visits'];
export type ScorecardTrend = Ok<'/api/v1/supervision/trend'>;

export const LEVELS = ['township', 'county', 'cadre'] as const;
export type Level = (typeof LEVELS)[number];

export const INDICATOR_KEYS = ['visits', 'completeness', 'dataQuality', 'overdueCases', 'alertsInTime', 'discrepancies'] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

/** A score or value for display: two decimals, or a dash when there is nothing to measure. */
export const fmt2 = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
