// Each test builds its own synthetic county so no test sees or wipes another's rows, on a
// shared PostgreSQL database too. Synthetic counties sit under province 15 (so ID numbers
// made for them have a valid area code) in city codes 1560–1599, which NBS does not use.
import { randomInt } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import { checkChar } from '../../src/domain/idnumber.js';

export interface TestArea {
  cityCode: string;
  countyCode: string;
  townshipCode: string;
  villageCodes: [string, string];
}

export async function makeArea(db: Db): Promise<TestArea> {
  for (;;) {
    const cityCode = `15${randomInt(60, 100)}`;
    const countyCode = `${cityCode}${String(randomInt(1, 100)).padStart(2, '0')}`;
    const taken = await db.query('SELECT 1 FROM areas WHERE code = $1', [countyCode]);
    if (taken.length) continue;
    const townshipCode = `${countyCode}001`;
    const villageCodes: [string, string] = [`${townshipCode}001`, `${townshipCode}002`];
    await db.query(
      `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES
        ($1, '测试市', 2, '15', NULL, true) ON CONFLICT (code) DO NOTHING`,
      [cityCode],
    );
    await db.query(
      `INSERT INTO areas (code, name, level, parent_code, county_code, is_western) VALUES
        ($1::text, '测试旗' || $1::text, 3, $2::text, $1::text, true),
        ($3::text, '测试苏木', 4, $1::text, $1::text, true),
        ($4::text, '测试一嘎查', 5, $3::text, $1::text, true),
        ($5::text, '测试二嘎查', 5, $3::text, $1::text, true)`,
      [countyCode, cityCode, townshipCode, villageCodes[0], villageCodes[1]],
    );
    return { cityCode, countyCode, townshipCode, villageCodes };
  }
}

/** A valid 18-digit ID number for someone born on `birth` (YYYY-MM-DD) in `areaCode6`. */
let idCounter = randomInt(0, 500);
export function makeIdNumber(areaCode6: string, birth: string, sex: '1' | '2', seq?: number): string {
  // Without a seq, a rotating counter: random picks collided (same county and birth date) in
  // about one run in three of a file that builds twenty households.
  const s = seq ?? (idCounter = (idCounter + 1) % 500);
  const three = String(s * 2 + (sex === '1' ? 1 : 0)).padStart(3, '0').slice(-3);
  const first17 = `${areaCode6}${birth.replaceAll('-', '')}${three}`;
  return first17 + checkChar(first17);
}

let counter = 0;
/** Unique household number within a test run. */
export function householdNo(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}
