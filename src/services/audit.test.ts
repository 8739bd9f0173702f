// The canonical text of an audit row: the exact string the trigger of migration 0010 hashes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditCanonical, auditHash, type AuditCanonicalRow } from './audit.js';

const US = '\u001f';

const row: AuditCanonicalRow = {
  prevHash: null, chainSeq: '3', id: '42', at: '2026-01-02T03:04:05.123456Z', actorId: null, actorName: 'cli:root', action: 'create', entity: 'households',
  entityId: '7', countyCode: '150524', householdId: '7', before: null, after: '{"a": 1}', note: '',
};

describe('auditCanonical', () => {
  it('writes the version, then every field as its UTF-8 byte length and value, NULL as ~, split by U+001F', () => {
    expect(auditCanonical(row)).toBe(
      ['jingzhun-audit-v1', '~', '1:3', '2:42', '27:2026-01-02T03:04:05.123456Z', '~', '8:cli:root', '6:create', '10:households', '1:7', '6:150524', '1:7', '~', '8:{"a": 1}', '0:'].join(US),
    );
  });

  it('counts bytes, not UTF-16 units: CJK is 3 bytes, a supplementary-plane character 4', () => {
    const s = auditCanonical({ ...row, actorName: '张𠮷' });
    expect(s).toContain(`${US}7:张𠮷${US}`);
  });

  it('keeps NULL, the empty string and the text "~" apart', () => {
    const texts = [null, '', '~'].map((note) => auditCanonical({ ...row, note }));
    expect(new Set(texts).size).toBe(3);
  });

  it('is not fooled by separators inside values (moving text between fields changes it)', () => {
    const a = auditCanonical({ ...row, entityId: `1${US}2:ab`, countyCode: null });
    const b = auditCanonical({ ...row, entityId: '1', countyCode: `ab` });
    expect(a).not.toBe(b);
  });

  it('puts prev_hash first and changes with it', () => {
    const prevHash = 'a'.repeat(64);
    expect(auditCanonical({ ...row, prevHash }).split(US)[1]).toBe(`64:${prevHash}`);
    expect(auditHash({ ...row, prevHash })).not.toBe(auditHash(row));
  });

  it('puts chain_seq second and changes with it', () => {
    expect(auditCanonical({ ...row, chainSeq: '12345' }).split(US)[2]).toBe('5:12345');
    expect(auditHash({ ...row, chainSeq: '4' })).not.toBe(auditHash(row));
  });

  it('hashes the canonical text as UTF-8 with sha256, lower-case hex', () => {
    const expected = createHash('sha256').update(Buffer.from(auditCanonical(row), 'utf8')).digest('hex');
    expect(auditHash(row)).toBe(expected);
    expect(auditHash(row)).toMatch(/^[0-9a-f]{64}$/);
  });
});
