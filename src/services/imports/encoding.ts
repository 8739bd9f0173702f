// County offices' CSVs come as UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8") or GBK (Excel's
// default on Chinese Windows). Strict UTF-8 decoding fails on GBK bytes, which tells them apart.
import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gbk';

export function decodeText(buf: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    // GB18030 is a superset of GBK, so it decodes both without loss.
    return { text: iconv.decode(Buffer.from(buf), 'gb18030'), encoding: 'gbk' };
  }
}

export function encodeText(text: string, encoding: TextEncodingName): Buffer {
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  const body = Buffer.from(text, 'utf8');
  return encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
