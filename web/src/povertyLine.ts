// The national rural poverty line, yuan per person per year at current prices (2,300 yuan at 2010
// prices). Sources (shared/docs/domain.md §5): NBS releases for 2014–2016; 2019 (3,218) and 2020
// (about 4,000) are from reposts and marked weak there; 2017 and 2018 were not found, so those
// years show no line rather than an invented one.
export const POVERTY_LINE: Readonly<Record<number, number>> = Object.freeze({
  2014: 2800,
  2015: 2855,
  2016: 2952,
  2019: 3218,
  2020: 4000,
});

export function povertyLine(year: number): number | undefined {
  return POVERTY_LINE[year];
}
