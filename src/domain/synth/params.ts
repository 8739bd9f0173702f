// The assumptions behind the synthetic register, in one place. Each figure is documented in
// docs/synthetic-data.md with its source, or marked there as an assumption of this demo.

/** First and last year of yearly records and of area populations. */
export const FIRST_REGISTER_YEAR = 2014;
export const LAST_YEAR = 2025;
export const FIRST_POPULATION_YEAR = 2013;
/** Member fields that change with time (student status, education, labour) are as of this year. */
export const SNAPSHOT_YEAR = 2025;

/**
 * Rural poverty line, yuan per person per year at current prices. 2014–2016 published;
 * 2017 and 2018 are interpolations assumed by this demo (published values were not found);
 * 2019 and 2020 are weak (reposts). After 2020 the 2020 line is kept (assumption).
 */
export const POVERTY_LINE: Readonly<Record<number, number>> = Object.freeze({
  2014: 2800,
  2015: 2855,
  2016: 2952,
  2017: 3100,
  2018: 3200,
  2019: 3218,
  2020: 4000,
});

export function povertyLine(year: number): number {
  if (year < 2014) return 2736;
  return POVERTY_LINE[Math.min(year, 2020)] as number;
}

/** Exit incidence threshold in the western region: ≤ 3%, compared as integers (poor·100 ≤ 3·rural). */
export const WEST_EXIT_PERCENT = 3;

export interface CountyProfile {
  /** Registered people in the 225,000-people demo (the weights of the split). */
  demoPeople: number;
  /** National poverty county: the last year-end whose incidence must be ≤ 3% (its exit assessment). */
  assessedYear?: number;
  /** Share of its rural villages that are poor villages (贫困村). */
  poorVillageShare: number;
  /** Share of residents who are Mongolian / Manchu / Hui (rest Han, a few others). */
  mongolian: number;
  manchu: number;
  hui: number;
  /** Share of households with pasture (牧草地), higher in the pastoral banners. */
  pastoral: number;
}

/**
 * Tongliao's county-level units. Kulun's 26,276 people and 88 poor villages are published
 * (domain.md §2); the other counties' registered counts are assumptions that put the bulk in the
 * four national poverty counties and sum to Tongliao's 22.49万. Ethnic shares are approximate
 * census figures (weak).
 */
export const COUNTY_PROFILES: Readonly<Record<string, CountyProfile>> = Object.freeze({
  '150502': { demoPeople: 13_000, poorVillageShare: 0.16, mongolian: 0.28, manchu: 0.02, hui: 0.012, pastoral: 0.05 },
  '150521': { demoPeople: 58_000, assessedYear: 2019, poorVillageShare: 0.36, mongolian: 0.73, manchu: 0.008, hui: 0.004, pastoral: 0.3 },
  '150522': { demoPeople: 38_000, assessedYear: 2018, poorVillageShare: 0.38, mongolian: 0.75, manchu: 0.008, hui: 0.004, pastoral: 0.3 },
  '150523': { demoPeople: 18_000, poorVillageShare: 0.16, mongolian: 0.1, manchu: 0.015, hui: 0.008, pastoral: 0.03 },
  '150524': { demoPeople: 26_276, assessedYear: 2019, poorVillageShare: 88 / 186, mongolian: 0.6, manchu: 0.01, hui: 0.005, pastoral: 0.2 },
  '150525': { demoPeople: 47_000, assessedYear: 2019, poorVillageShare: 0.38, mongolian: 0.43, manchu: 0.012, hui: 0.006, pastoral: 0.15 },
  '150526': { demoPeople: 23_224, poorVillageShare: 0.16, mongolian: 0.48, manchu: 0.01, hui: 0.005, pastoral: 0.4 },
  '150571': { demoPeople: 0, poorVillageShare: 0, mongolian: 0.2, manchu: 0.02, hui: 0.01, pastoral: 0 },
  '150581': { demoPeople: 1_500, poorVillageShare: 0.16, mongolian: 0.3, manchu: 0.02, hui: 0.01, pastoral: 0.3 },
});

/** Profile for a county not in the table (e.g. a test's county): a non-poverty county. */
export const DEFAULT_PROFILE: CountyProfile = Object.freeze({
  demoPeople: 10_000,
  poorVillageShare: 0.2,
  mongolian: 0.46,
  manchu: 0.012,
  hui: 0.006,
  pastoral: 0.15,
});

export function countyProfile(code: string): CountyProfile {
  return COUNTY_PROFILES[code] ?? DEFAULT_PROFILE;
}

/**
 * Household size of registered households (mean 2.88; Kulun's published 26,276 / 9,138 = 2.875).
 * Poor households skew small: old couples and people living alone.
 */
export const HOUSEHOLD_SIZES: readonly (readonly [number, number])[] = [
  [1, 15.5],
  [2, 29.5],
  [3, 21],
  [4, 20.5],
  [5, 9.8],
  [6, 3],
  [7, 0.7],
];

/** Year of first identification: 建档立卡 in 2014, then dynamic adjustment (动态调整). */
export const IDENTIFICATION_YEARS: readonly (readonly [number, number])[] = [
  [2014, 88],
  [2015, 7],
  [2016, 5],
];

/**
 * Exit year shares (of households) by county kind. National poverty counties lag the nation;
 * 150522 (exit 2019) runs a year ahead of those that exited in 2020-03. The remainder at the
 * assessed year-end is small enough for incidence ≤ 3%, which is also enforced per county.
 */
export const EXIT_SCHEDULES: Readonly<Record<'assessed2018' | 'assessed2019' | 'other', readonly (readonly [number, number])[]>> = {
  assessed2018: [[2014, 6], [2015, 17], [2016, 22], [2017, 25], [2018, 23], [2019, 6.5], [2020, 0.5]],
  assessed2019: [[2014, 5], [2015, 15], [2016, 20], [2017, 22], [2018, 22], [2019, 12], [2020, 4]],
  other: [[2014, 10], [2015, 22], [2016, 25], [2017, 22], [2018, 15], [2019, 5], [2020, 1]],
};

/** Share of exited households that fall back (返贫, status '3') in one year of 2021–2023. */
export const RELAPSE_SHARE = 0.005;

/** Main cause shares (code order of domain.md §3: 因病 … 自身发展动力不足). */
export const MAIN_CAUSE_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  '01': 38, // 因病
  '02': 9, // 因残
  '03': 6, // 因学
  '04': 5, // 因灾
  '05': 3, // 缺土地
  '06': 3, // 缺水
  '07': 10, // 缺技术
  '08': 12, // 缺劳力
  '09': 9, // 缺资金
  '10': 1, // 交通条件落后
  '11': 4, // 自身发展动力不足
});

/** Share of a county's rural villages with no registered household (non-poor villages only). */
export const EMPTY_VILLAGE_SHARE = { poorCounty: 0.15, other: 0.3 };
/** Relative weight of a poor village's registered people against a non-poor village's. */
export const POOR_VILLAGE_WEIGHT = { poorCounty: 2, other: 3 };
/** Village incidence at identification (registered people ÷ rural people), uniform ranges. */
export const VILLAGE_INCIDENCE = {
  poorCounty: { poor: [0.25, 0.45], other: [0.08, 0.18] },
  other: { poor: [0.12, 0.22], other: [0.03, 0.08] },
} as const;
/** Yearly decline of rural population (out-migration, urbanisation) and rural household size. */
export const RURAL_DECLINE = [0.005, 0.015] as const;
export const RURAL_HOUSEHOLD_SIZE = [2.7, 3.1] as const;
