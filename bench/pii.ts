// The cost of sealing ID numbers and phones at rest (issue 7, services/pii.ts), on a fresh seeded
// register, each against a baseline in the same process:
//   seal     sealId of every member's number (hash + AES-GCM + mask) vs masking alone (what a
//            plaintext register computed per person for its lists)
//   open     openId of every member's sealed number vs Buffer.from(base64url) of the same values
//   search   1,000 exact searches by full ID number (listHouseholds q=, the keyed-hash index)
//            vs 1,000 by household number (listHouseholds q=, the unique index)
//   rotate   `keys rotate` of the whole register (re-seal + re-hash, one transaction) vs a
//            hand-written UPDATE rewriting the same columns of the same rows with their own values
import { randomBytes } from 'node:crypto';
import type { Engine } from '../src/db/client.js';
import { maskIdNumber } from '../src/domain/idnumber.js';
import { systemActor, type Ctx } from '../src/services/context.js';
import { listHouseholds } from '../src/services/households.js';
import { openId, sealId } from '../src/services/pii.js';
import { rotateKeys } from '../src/services/sealing.js';
import { seedRegister } from '../src/services/seed.js';
import { freshDb, fmt, timed } from './engines.js';

export async function benchPii(engine: Engine, people: number, say: (line: string) => void): Promise<void> {
  const tag = `[${engine}]`;
  // Its own key: the rotation must not touch the repository's data/secret.key.
  const savedKey = process.env.JINGZHUN_SECRET_KEY;
  process.env.JINGZHUN_SECRET_KEY = randomBytes(32).toString('hex');
  const b = await freshDb(engine, 'pii');
  try {
    await seedRegister(b.db, { people, seed: 2014 });
    const rows = await b.db.query<{ enc: string; no: string; county: string }>(
      `SELECT m.id_enc AS enc, h.household_no AS no, h.county_code AS county FROM members m
         JOIN households h ON h.county_code = m.county_code AND h.id = m.household_id`);
    const ids = rows.map((r) => openId(r.enc));
    const n = ids.length;

    const mask = await timed(async () => { for (const id of ids) maskIdNumber(id); });
    const seal = await timed(async () => { for (const id of ids) sealId(id); });
    say(`${tag} pii seal ${fmt(n, 0)} ID numbers: ${fmt(seal.seconds * 1e6 / n, 2)} µs each (${fmt(seal.seconds, 2)} s) vs masking alone ${fmt(mask.seconds * 1e6 / n, 2)} µs = ${fmt(seal.seconds / mask.seconds, 1)}×`);
    const decode = await timed(async () => { for (const r of rows) Buffer.from(r.enc.slice(17), 'base64url'); });
    const open = await timed(async () => { for (const r of rows) openId(r.enc); });
    say(`${tag} pii open ${fmt(n, 0)} sealed numbers: ${fmt(open.seconds * 1e6 / n, 2)} µs each vs base64 decoding alone ${fmt(decode.seconds * 1e6 / n, 2)} µs = ${fmt(open.seconds / decode.seconds, 1)}×`);

    const ctx: Ctx = { db: b.db, actor: systemActor('bench') };
    const pick = Array.from({ length: 1000 }, (_, i) => Math.floor((i * rows.length) / 1000)).map((k) => ({ ...rows[k]!, id: ids[k]! }));
    const byId = await timed(async () => {
      for (const r of pick) await listHouseholds(ctx, { area: r.county, q: r.id, pageSize: 5 });
    });
    const byNo = await timed(async () => {
      for (const r of pick) await listHouseholds(ctx, { area: r.county, q: r.no, pageSize: 5 });
    });
    say(`${tag} pii 1,000 searches by full ID number (keyed hash) ${fmt(byId.seconds, 2)} ms each vs by household number ${fmt(byNo.seconds, 2)} ms each = ${fmt(byId.seconds / byNo.seconds, 2)}×`);

    const rewrite = await timed(() => b.db.transaction(async (tx) => {
      await tx.query('UPDATE members SET id_hash = id_hash, id_enc = id_enc, id_masked = id_masked, phone_enc = phone_enc, phone_masked = phone_masked');
      await tx.query('UPDATE cadres SET id_hash = id_hash, id_enc = id_enc, id_masked = id_masked, phone_enc = phone_enc, phone_masked = phone_masked');
      await tx.query('UPDATE households SET phone_enc = phone_enc, phone_masked = phone_masked');
    }));
    const rotate = await timed(() => rotateKeys(b.db, randomBytes(32)));
    const total = Object.values(rotate.value.rows).reduce((a, x) => a + x, 0);
    say(`${tag} pii keys rotate: ${fmt(total, 0)} rows re-sealed in one transaction ${fmt(rotate.seconds, 1)} s vs the same rows rewritten by one UPDATE per table ${fmt(rewrite.seconds, 1)} s = ${fmt(rotate.seconds / rewrite.seconds, 1)}×`);
  } finally {
    await b.drop();
    if (savedKey === undefined) delete process.env.JINGZHUN_SECRET_KEY;
    else process.env.JINGZHUN_SECRET_KEY = savedKey;
  }
}
