// One-time codes for the second factor: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA-1,
// 30-second steps and 6 digits (what every authenticator app accepts), plus the base32 (RFC 4648)
// text of the secret and its otpauth:// URI. Pure: the caller passes the time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes one step before or after the current one are accepted too (clock drift of phones). */
export const TOTP_WINDOW = 1;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 text, ignoring case, spaces and '=' padding; undefined when it has other characters. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) return undefined;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: HMAC over the 8-byte big-endian counter, dynamic truncation, `digits` decimal digits. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

/** The time step of a moment (milliseconds since the epoch). */
export const totpStep = (ms: number) => Math.floor(ms / 1000 / TOTP_STEP_SECONDS);

/** RFC 6238 TOTP at the moment `ms`. */
export function totp(secret: Uint8Array, ms: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  return hotp(secret, totpStep(ms), digits, algorithm);
}

/**
 * The step a code matches within ±TOTP_WINDOW of `ms`, or undefined. Returning the step lets the
 * caller refuse a code that was already used (a replay within the same 30 seconds).
 */
export function verifyTotp(secret: Uint8Array, code: string, ms: number): number | undefined {
  const c = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(c)) return undefined;
  const now = totpStep(ms);
  for (let d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
    const expected = hotp(secret, now + d);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(c))) return now + d;
  }
  return undefined;
}

/** The otpauth:// URI authenticator apps read (as text or a QR code). */
export function otpauthUri(secret: Uint8Array, account: string, issuer = 'Jingzhun'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const q = new URLSearchParams({ secret: base32Encode(secret), issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${q.toString()}`;
}
