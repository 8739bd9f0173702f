// ID numbers and phones at rest. Each is stored three ways, none of them the plaintext:
// - sealed: AES-256-GCM under a key derived from the master key (secret-box.ts), as
//   `<key fingerprint>.<base64url of iv | tag | ciphertext>`, opened only to show a value in full
//   (an audited reveal, the household file, the register export);
// - a keyed hash (HMAC-SHA-256, another derived key) of the normalised value: uniqueness, exact
//   search, duplicate detection and matching other departments' records, all in SQL;
// - the masked form (1505**********123X, 138****5678) that every list and message shows.
// Sealing is deterministic (the IV is an HMAC of the value, as in SIV): equal values seal equally,
// so a re-import compares sealed columns in SQL; it reveals only equality, which the hash does anyway.
// The key's fingerprint is kept in `sealing_keys`; a start with another key is refused
// (checkSealingKey), and `jingzhun keys rotate` re-seals and re-hashes everything under a new key.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { maskIdNumber, maskPhone } from '../domain/idnumber.js';
import { keyFingerprint, masterKey, subkey } from './secret-box.js';

export type PiiKind = 'id' | 'phone';

export interface SealedId {
  hash: string;
  enc: string;
  masked: string;
}

export interface SealedPhone {
  enc: string;
  masked: string;
}

export interface KeySet {
  fingerprint: string;
  seal: Buffer;
  iv: Buffer;
  hash: Buffer;
}

const keySets = new Map<string, KeySet>();

/** The sealing and hashing keys derived from one master key (the current one by default). */
export function keySet(key: Buffer = masterKey()): KeySet {
  const id = key.toString('hex');
  let k = keySets.get(id);
  if (!k) {
    k = { fingerprint: keyFingerprint(key), seal: subkey('pii-seal', key), iv: subkey('pii-iv', key), hash: subkey('pii-hash', key) };
    keySets.set(id, k);
  }
  return k;
}

/** Keys that may open older values besides the current one: only the rotation passes them. */
let extraKeys: KeySet[] = [];

export function withPreviousKeys<T>(keys: Buffer[], run: () => Promise<T>): Promise<T> {
  const before = extraKeys;
  extraKeys = keys.map((k) => keySet(k));
  return run().finally(() => {
    extraKeys = before;
  });
}

/** Keyed hash (64 hex) of an ID number as stored (18 characters, upper-case X). */
export function idHash(id: string, keys: KeySet = keySet()): string {
  return createHmac('sha256', keys.hash).update(`id:${id.toUpperCase()}`).digest('hex');
}

export function sealText(kind: PiiKind, plain: string, keys: KeySet = keySet()): string {
  const iv = createHmac('sha256', keys.iv).update(`${kind}:${plain}`).digest().subarray(0, 12);
  const c = createCipheriv('aes-256-gcm', keys.seal, iv, { authTagLength: 16 });
  c.setAAD(Buffer.from(kind));
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${keys.fingerprint}.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
}

/** Opens a value of sealText; a value sealed under an unknown key or altered throws a clear error. */
export function openText(kind: PiiKind, sealed: string): string {
  const dot = sealed.indexOf('.');
  const fp = sealed.slice(0, dot);
  const current = keySet();
  const keys = fp === current.fingerprint ? current : extraKeys.find((k) => k.fingerprint === fp);
  if (!keys) {
    throw new Error(
      `个人信息由另一把密钥（指纹 ${fp}）加密，当前密钥指纹为 ${current.fingerprint}；请设置 JINGZHUN_SECRET_KEY 为加密时的密钥 / ` +
        `personal data was sealed under another key (fingerprint ${fp}); the current key is ${current.fingerprint}: set JINGZHUN_SECRET_KEY to the key it was sealed with`,
    );
  }
  const raw = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const d = createDecipheriv('aes-256-gcm', keys.seal, raw.subarray(0, 12), { authTagLength: 16 });
  d.setAAD(Buffer.from(kind));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}

export function sealId(id: string, keys: KeySet = keySet()): SealedId {
  const v = id.toUpperCase();
  return { hash: idHash(v, keys), enc: sealText('id', v, keys), masked: maskIdNumber(v) };
}

export function sealPhone(phone: string | null | undefined, keys: KeySet = keySet()): SealedPhone | null {
  if (phone == null || phone === '') return null;
  return { enc: sealText('phone', phone, keys), masked: maskPhone(phone) };
}

/** The sealed ID number as the columns (id_hash, id_enc, id_masked) every table stores it in. */
export function idColumns(id: string, keys: KeySet = keySet()): [string, string, string] {
  const s = sealId(id, keys);
  return [s.hash, s.enc, s.masked];
}

/** The sealed phone as the columns (phone_enc, phone_masked); both NULL without a phone. */
export function phoneColumns(phone: string | null | undefined, keys: KeySet = keySet()): [string | null, string | null] {
  const p = sealPhone(phone, keys);
  return [p?.enc ?? null, p?.masked ?? null];
}

export const openId = (enc: string): string => openText('id', enc);
export const openPhone = (enc: string | null | undefined): string | null => (enc ? openText('phone', enc) : null);
