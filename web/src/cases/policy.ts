// Policy values on the client: the rows of one parameter from GET /api/v1/policy?key=…, resolved for
// a year and area like the server (domain/policy.ts): the most specific region with a row in force
// wins (county > province > national), then that region's latest row not after the year. A row whose
// value is null resolves to null (unknown) and never falls back to an older value.
import { useEffect, useState } from 'react';
import { api, call } from '../api/client';
import type { paths } from '../api/schema';

type ListAnswer = paths['/api/v1/policy']['get']['responses'][200]['content']['application/json'];
export type PolicyRow = ListAnswer['items'][number];

/** County, province, national: the regions that can apply to an area code (a village, township, county…). */
export function regionsFor(areaCode: string): string[] {
  const code = /^\d+$/.test(areaCode) ? areaCode : '';
  const out: string[] = [];
  if (code.length >= 6) out.push(code.slice(0, 6));
  if (code.length >= 2) out.push(code.slice(0, 2));
  out.push('');
  return out;
}

/** The row in force for `key` in `year` at `areaCode`, or undefined when none applies. */
export function resolveRow(rows: readonly PolicyRow[], key: string, year: number, areaCode: string): PolicyRow | undefined {
  for (const region of regionsFor(areaCode)) {
    let best: PolicyRow | undefined;
    for (const r of rows) {
      if (r.key !== key || r.region !== region || r.year > year) continue;
      if (!best || r.year > best.year) best = r;
    }
    if (best) return best;
  }
  return undefined;
}

/** The rows of one parameter (null until loaded; [] when they cannot be read). */
export function usePolicyRows(key: string): PolicyRow[] | null {
  const [rows, setRows] = useState<PolicyRow[] | null>(null);
  useEffect(() => {
    let live = true;
    call<ListAnswer>(api.GET('/api/v1/policy', { params: { query: { key } } })).then((r) => live && setRows(r.items), () => live && setRows([]));
    return () => {
      live = false;
    };
  }, [key]);
  return rows;
}
