// Shapes of the measures API (helper of the measures pages), taken from the generated schema: the
// routes declare their responses.
import type { paths } from '../api/schema';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Catalogue = Json<paths['/api/v1/measure-types']['get']['responses'][200]>;
export type MeasureType = Catalogue['channels'][number]['types'][number];
export type MeasurePage = Json<paths['/api/v1/measures']['get']['responses'][200]>;
export type Measure = MeasurePage['items'][number];
export type MeasureBody = paths['/api/v1/households/{id}/measures']['post']['requestBody']['content']['application/json'];
export type IncomePreview = Json<paths['/api/v1/households/{id}/years/{year}/income-from-measures']['get']['responses'][200]>;
export type ChannelViewData = Json<paths['/api/v1/channels']['get']['responses'][200]>;
export type MeasureTypeBody = paths['/api/v1/measure-types']['post']['requestBody']['content']['application/json'];
export type ProjectItem = Json<paths['/api/v1/projects']['get']['responses'][200]>['items'][number];
export type ProjectQuery = NonNullable<paths['/api/v1/projects']['get']['parameters']['query']>;
export type ProjectBudget = Json<paths['/api/v1/projects/{id}']['get']['responses'][200]>['budgets'][number];
