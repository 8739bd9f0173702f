// The web app reaches the API only through the client typed from the server's OpenAPI document;
// this fails when the committed document or types differ from what the routes produce now.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_DIR, SPEC_FILE, TYPES_FILE, writeApiFiles } from '../scripts/api-client.js';

const dir = mkdtempSync(join(tmpdir(), 'jingzhun-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generated API client', () => {
  it('is up to date with the server (run `npm run gen:api` and commit when this fails)', async () => {
    await writeApiFiles(dir);
    for (const file of [SPEC_FILE, TYPES_FILE]) {
      const fresh = readFileSync(join(dir, file), 'utf8');
      const committed = readFileSync(join(API_DIR, file), 'utf8');
      expect(committed === fresh, `web/src/api/${file} is stale: run npm run gen:api and commit the result`).toBe(true);
    }
  });
});
