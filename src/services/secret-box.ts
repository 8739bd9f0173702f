// Secrets the server must read back (the TOTP seeds) are sealed with AES-256-GCM under a key
// derived (HKDF-SHA-256, one `purpose` per use) from the master key: JINGZHUN_SECRET_KEY in the
// environment (64 hex characters or base64 of 32 bytes), or, when it is unset (development, tests,
// a single-machine install), a random key generated once into <data dir>/secret.key (mode 0600).
// A server with several processes or machines must set the variable: each would generate its own file.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { appDataDir } from '../db/client.js';

export const SECRET_KEY_ENV = 'JINGZHUN_SECRET_KEY';

export function secretKeyFile(): string {
  return join(appDataDir(), 'secret.key');
}

export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) {
    throw new Error(
      `${where} 应为 32 字节的密钥（64 位十六进制或 base64），例如 openssl rand -hex 32 的输出 / ` +
        `${where} must be a 32-byte key (64 hex characters or base64), e.g. the output of openssl rand -hex 32`,
    );
  }
  return key;
}

let cached: { source: string; key: Buffer } | undefined;

/** Forgets the loaded master key (after a rotation replaced the key file). */
export function forgetMasterKey(): void {
  cached = undefined;
}

/** The master key: the environment variable, else the data dir's key file (created when missing). */
export function masterKey(): Buffer {
  const env = process.env[SECRET_KEY_ENV];
  const source = env ? `env:${env}` : `file:${secretKeyFile()}`;
  if (cached?.source === source) return cached.key;
  let key: Buffer;
  if (env) key = parseKey(env, SECRET_KEY_ENV);
  else {
    const file = secretKeyFile();
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      // 'wx': of two processes starting at once, the second fails here and reads the first one's key.
      try {
        writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    key = parseKey(readFileSync(file, 'utf8'), file);
  }
  cached = { source, key };
  return key;
}

const subkeys = new Map<string, Buffer>();

/** A 32-byte key for one purpose, derived from `key` (the master key by default) with HKDF-SHA-256. */
export function subkey(purpose: string, key: Buffer = masterKey()): Buffer {
  const id = `${key.toString('hex')}/${purpose}`;
  let k = subkeys.get(id);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `jingzhun/${purpose}/v1`, 32));
    subkeys.set(id, k);
  }
  return k;
}

/**
 * A short public name of a master key (16 hex characters of an HMAC under it): stored beside data
 * sealed or hashed with the key, so a wrong or lost key is reported instead of silently mismatching.
 */
export function keyFingerprint(key: Buffer = masterKey()): string {
  return createHmac('sha256', key).update('jingzhun/key-fingerprint/v1').digest('hex').slice(0, 16);
}

/**
 * Seals `plain` as `v1.<base64url of iv | tag | ciphertext>`. `context` (e.g. the user id) is bound
 * as additional data, so a sealed value copied onto another row does not open there.
 */
export function seal(purpose: string, context: string, plain: Buffer, key: Buffer = masterKey()): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', subkey(purpose, key), iv, { authTagLength: 16 });
  c.setAAD(Buffer.from(context));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
}

/** Opens a value of seal(); throws when the key, purpose or context differ or the text was altered. */
export function open(purpose: string, context: string, sealed: string, key: Buffer = masterKey()): Buffer {
  if (!sealed.startsWith('v1.')) throw new Error('unknown sealed format');
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  const d = createDecipheriv('aes-256-gcm', subkey(purpose, key), raw.subarray(0, 12), { authTagLength: 16 });
  d.setAAD(Buffer.from(context));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
}
