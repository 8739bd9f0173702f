// 小单元格保护 / small-cell protection for readers who may see aggregates only (no register.read):
// a cell of fewer than MIN_CELL_HOUSEHOLDS households is not shown, and when exactly one cell of a
// set would be hidden, the smallest other one is hidden too, so the hidden one cannot be found by
// subtracting the shown ones from the total (secondary suppression).
export const MIN_CELL_HOUSEHOLDS = 5;

/** The indices of `cells` to hide, given each cell's household count. */
export function cellsToHide(households: readonly number[], min = MIN_CELL_HOUSEHOLDS): Set<number> {
  const hide = new Set<number>();
  households.forEach((n, i) => {
    if (n < min) hide.add(i);
  });
  if (hide.size === 1 && households.length > 1) {
    let best = -1;
    households.forEach((n, i) => {
      if (!hide.has(i) && (best < 0 || n < households[best]!)) best = i;
    });
    if (best >= 0) hide.add(best);
  }
  return hide;
}
