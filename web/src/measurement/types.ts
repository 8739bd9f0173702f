// Shapes of the indicators endpoints, straight from the generated schema.
import type { paths } from '../api/schema';

type Ok<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer R } } } } } ? R : never;

export type Indicators = Ok<'/api/v1/indicators'>;
export type AreaFigures = NonNullable<Indicators['figures']>;
export type MpiFigures = NonNullable<AreaFigures['mpi']>;
export type MpiIndicator = MpiFigures['indicators'][number];
export type Analysis = Ok<'/api/v1/indicators/analysis'>;
export type AnalysisGroup = NonNullable<Analysis['groups']>[number];
export type Distribution = Ok<'/api/v1/indicators/distribution'>;
export type FigureHouseholds = Ok<'/api/v1/indicators/households'>;
export type Figure = NonNullable<paths['/api/v1/indicators/households']['get']['parameters']['query']>['figure'];

export const TABS = ['overview', 'fgt', 'income', 'mpi', 'groups'] as const;
export type Tab = (typeof TABS)[number];
export const GROUPINGS = ['child', 'ethnicity', 'sex', 'cause'] as const;
export type Grouping = (typeof GROUPINGS)[number];
