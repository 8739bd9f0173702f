// The policy calculators for any signed-in role: they read policy parameters only, no personal data,
// and write nothing (so nothing is audited). The area whose parameters apply is the one asked, else
// the actor's own area, else national.
import { calculate as compute, checkInput, type CalcResult, type CalculatorKind } from '../domain/calculators/index.js';
import { policyYearLookup } from './policy.js';
import { require, type Ctx } from './context.js';

export async function calculate(ctx: Ctx, kind: CalculatorKind, raw: unknown): Promise<CalcResult> {
  require(ctx, 'aggregates.read');
  const body = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : raw;
  const withArea = body && typeof body === 'object' && (body as Record<string, unknown>).area === undefined && ctx.actor.areaCode !== '*'
    ? { ...(body as Record<string, unknown>), area: ctx.actor.areaCode }
    : body;
  const input = checkInput(kind, withArea);
  const lookup = await policyYearLookup(ctx.db, input.area);
  return compute(kind, input, lookup);
}
