// Issue 7: every upload route reads its file through one helper (src/http/upload.ts), which maps the
// multipart read's errors by class: a malformed body (busboy: no boundary, cut short) is 400
// naming the field, a missing file 400, a body that is not multipart
// 406, the size and count limits 413 — never 500, and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ZodApp } from '../src/http/app.js';
import type { Db } from '../src/db/client.js';
import { createUser } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { malformedUpload } from '../src/http/upload.js';
import { engineName, testDb } from './support/db.js';
import { makeArea, type TestArea } from './support/factories.js';

const PASSWORD = 'Test#Passw0rd';
let db: Db;
let app: ZodApp;
let area: TestArea;
let cookie = '';
let userId = 0;

// Every route that takes an upload (the ids need not exist: the upload is read, and refused, first).
const ROUTES = [
  '/api/v1/imports?dryRun=true',
  '/api/v1/imports/error-report',
  '/api/v1/assessment/plans/999999999/surveys/import',
  '/api/v1/cases/999999999/attachments?kind=application',
  '/api/v1/monitoring/department-records?department=民政&kind=subsistence',
];

const B = 'jzupload';
const noFile = { field: 'file', zh: '请以 multipart/form-data 上传文件（字段名 file）', en: 'Upload the file as multipart/form-data (field "file")' };
// busboy raises an error for the first three; a part whose header it cannot read it skips, so the
// form then has no file.
const MALFORMED: [string, string, string | Buffer, typeof noFile][] = [
  ['no boundary', 'multipart/form-data', `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx\r\n--${B}--\r\n`, malformedUpload],
  ['cut short after the first boundary', `multipart/form-data; boundary=${B}`, `--${B}\r\n`, malformedUpload],
  ['cut short inside the file', `multipart/form-data; boundary=${B}`, `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n户编号,姓名\r\n1,巴特尔`, malformedUpload],
  ['no boundary line at all', `multipart/form-data; boundary=${B}`, 'hello world', malformedUpload],
  ['a malformed part header', `multipart/form-data; boundary=${B}`, `--${B}\r\nContent-Disposition form-data name file\u0000\r\n\r\nx\r\n--${B}--\r\n`, noFile],
  ['header bytes that are not text', `multipart/form-data; boundary=${B}`, Buffer.concat([Buffer.from(`--${B}\r\n`), Buffer.from([0xff, 0x00, 0x0a, 0x0d, 0x3a]), Buffer.from(`\r\n\r\nx\r\n--${B}--\r\n`)]), noFile],
];

async function auditRows(): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1', [userId]);
  return r!.n;
}

beforeAll(async () => {
  db = await testDb();
  app = await buildApp({ db, webDir: false, rateLimits: { importsPerUser: 0, global: 0 } });
  area = await makeArea(db);
  const username = `upload${area.countyCode}`;
  const u = await createUser({ actor: systemActor('test'), db }, { username, role: 'county_office', areaCode: area.countyCode, password: PASSWORD });
  userId = Number((u as { id: number }).id);
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  cookie = `jz_session=${res.cookies.find((c) => c.name === 'jz_session')!.value}`;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe(`upload errors, mapped in one place (${engineName})`, () => {
  it('a malformed multipart body is 400 naming the file field, on every upload route, and writes nothing', async () => {
    const before = await auditRows();
    for (const url of ROUTES) {
      for (const [what, type, payload, issue] of MALFORMED) {
        const res = await app.inject({ method: 'POST', url, headers: { cookie, 'content-type': type }, payload });
        expect(res.statusCode, `${url} ${what}: ${res.body}`).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'validation_failed', issues: [issue] });
        expect(res.body).not.toMatch(/Boundary|Unexpected end|Malformed part|busboy|at /);
      }
    }
    expect(await auditRows()).toBe(before);
  });

  it('a form without a file is 400 asking for the file; a body that is not multipart is 406, in both languages', async () => {
    for (const url of ROUTES) {
      const onlyField = `--${B}\r\nContent-Disposition: form-data; name="department"\r\n\r\n民政\r\n--${B}--\r\n`;
      const res = await app.inject({ method: 'POST', url, headers: { cookie, 'content-type': `multipart/form-data; boundary=${B}` }, payload: onlyField });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.issues).toEqual([noFile]);
      const json = await app.inject({ method: 'POST', url, headers: { cookie }, payload: { file: 'a.csv' } });
      expect(json.statusCode, `${url}: ${json.body}`).toBe(406);
      expect(json.json().error).toEqual({
        code: 'not_multipart', zh: '此地址只接受 multipart/form-data 上传（字段名 file）', en: 'This address accepts only a multipart/form-data upload (field "file")',
      });
    }
  });

  it('the limits keep their answers: a second file is 413 (too many parts), an attachment over 10 MB is 400 with its limit', async () => {
    const two = `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nx\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\ny\r\n--${B}--\r\n`;
    const many = await app.inject({ method: 'POST', url: ROUTES[0]!, headers: { cookie, 'content-type': `multipart/form-data; boundary=${B}` }, payload: two });
    // The first file is read and imported (dry run) before the second is seen, or the limit answers first.
    expect([200, 413, 422]).toContain(many.statusCode);
    if (many.statusCode === 413) expect(many.json().error.code).toBe('too_many_parts');
    const big = Buffer.concat([
      Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.alloc(10 * 1024 * 1024 + 10, 0x61),
      Buffer.from(`\r\n--${B}--\r\n`),
    ]);
    const res = await app.inject({ method: 'POST', url: ROUTES[3]!, headers: { cookie, 'content-type': `multipart/form-data; boundary=${B}` }, payload: big });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ field: 'file', zh: expect.stringContaining('附件最大 10 MB'), en: expect.stringContaining('at most 10 MB') });
  });
});
