// Pieces the tabs share: the child areas sorted by a measure, the area column that drills down.
import type { TFunction } from 'i18next';
import type { Col } from '../ChartCard';
import type { AreaFigures } from '../types';

/** Largest first; areas without the measure last, by code. */
export function sortedChildren(list: AreaFigures[], by: (x: AreaFigures) => number | null | undefined): AreaFigures[] {
  return [...list].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    if (x === null || x === undefined) return y === null || y === undefined ? a.code.localeCompare(b.code) : 1;
    if (y === null || y === undefined) return -1;
    return y - x || a.code.localeCompare(b.code);
  });
}

export function areaCol(t: TFunction, go: (code: string) => void): Col<AreaFigures> {
  return {
    key: 'area', title: t('measurement.area'), kind: 'text', value: (r) => r.name, sorter: true,
    render: (r, text) => (
      <a href={`/measurement?area=${r.code}`} onClick={(e) => { e.preventDefault(); go(r.code); }} data-testid={`drill-${r.code}`}>{text}</a>
    ),
  };
}

export function childDescription(t: TFunction, n: number): string {
  return t('measurement.charts.childDescription', { n });
}
