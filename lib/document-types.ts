/**
 * The document types the store accepts (Art. 8, 15, 21, 28, 29 filings), told by their bytes, not
 * by what the upload claims: magic bytes, and zips (OFD, DOCX, XLSX) by their entry names.
 */

/** Accepted document types (Art. 8, 15, 21, 28, 29 filings), recognised by their bytes. */
export const DOCUMENT_TYPES = {
  'application/pdf': 'PDF',
  'application/ofd': 'OFD (GB/T 33190)',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;

/** The type the bytes show (magic bytes; zips by their entries), or undefined. */
export function sniffType(head: Buffer, zipEntries: string[]): DocumentType | undefined {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') {
    if (zipEntries.some((n) => n === 'OFD.xml')) return 'application/ofd';
    if (zipEntries.some((n) => n.startsWith('word/')))
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (zipEntries.some((n) => n.startsWith('xl/')))
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
  return undefined;
}

/**
 * The zip local-file-header names seen in a stream (a bounded carry across chunks), so OFD, DOCX and
 * XLSX are told apart by their entries (OFD.xml, word/…, xl/…) without buffering the file.
 */
export class ZipNames {
  private carry = Buffer.alloc(0);
  readonly names: string[] = [];
  push(chunk: Buffer) {
    if (this.names.length >= 64) return;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let from = 0;
    for (;;) {
      const p = buf.indexOf('PK\x03\x04', from, 'latin1');
      if (p < 0) {
        this.carry = Buffer.from(buf.subarray(Math.max(from, buf.length - 3)));
        return;
      }
      if (p + 30 > buf.length) {
        this.carry = Buffer.from(buf.subarray(p));
        return;
      }
      const nameLen = buf.readUInt16LE(p + 26);
      if (p + 30 + nameLen > buf.length) {
        this.carry = Buffer.from(buf.subarray(p));
        return;
      }
      this.names.push(buf.subarray(p + 30, p + 30 + nameLen).toString('utf8'));
      if (this.names.length >= 64) return;
      from = p + 4;
    }
  }
}
