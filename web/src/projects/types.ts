// Shapes of the project library answers, taken from the generated OpenAPI declarations.
import type { paths } from '../api/schema';

type Json<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete', S extends number> =
  paths[P][M] extends { responses: Record<S, { content: { 'application/json': infer T } }> } ? T : never;

export type ProjectList = Json<'/api/v1/projects', 'get', 200>;
export type ProjectView = ProjectList['items'][number];
export type ProjectFile = Json<'/api/v1/projects/{id}', 'get', 200>;
export type BudgetLine = ProjectFile['budgets'][number];
export type Beneficiary = NonNullable<ProjectFile['beneficiaries']>[number];
export type AssetView = ProjectFile['assets'][number];
export type IncomeView = Json<'/api/v1/assets/{id}/incomes', 'get', 200>[number];
export type FundsView = Json<'/api/v1/funds', 'get', 200>;
export type DisclosureList = Json<'/api/v1/projects/disclosure', 'get', 200>;
export type Codes = Json<'/api/v1/projects/codes', 'get', 200>;

export const STATUS_COLOR: Record<string, string> = { planned: 'default', approved: 'blue', in_progress: 'processing', completed: 'green', cancelled: 'red' };
