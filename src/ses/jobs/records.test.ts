import { describe, expect, it } from 'vitest';
import { csvLine, csvRecords, jsonLines, MAX_RECORD_CHARS, type SourceRecord } from './records.js';

async function all(gen: AsyncGenerator<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

/** The text cut into chunks of `size` bytes, so records and characters straddle chunk edges. */
async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('import source records', () => {
  const csv =
    '\uFEFFemailAddress,unsubscribeAll,attributesData\r\n' +
    'a@example.com,false,"{""name"":""Zoë, Jr."",""n"":1}"\r\n' +
    '\r\n' +
    'b@example.com,true,"line one\nline two"\n' +
    'c@example.com, COMPLAINT\n' +
    '"d@example.com",,';

  it.each([1, 2, 7, 4096])(
    'reads CSV records with quotes, commas, line breaks and CRLF (chunks of %i bytes)',
    async (size) => {
      expect(await all(csvRecords(chunks(csv, size)))).toEqual([
        {
          lineNumber: 1,
          raw: 'emailAddress,unsubscribeAll,attributesData',
          fields: ['emailAddress', 'unsubscribeAll', 'attributesData'],
        },
        {
          lineNumber: 2,
          raw: 'a@example.com,false,"{""name"":""Zoë, Jr."",""n"":1}"',
          fields: ['a@example.com', 'false', '{"name":"Zoë, Jr.","n":1}'],
        },
        {
          lineNumber: 4,
          raw: 'b@example.com,true,"line one\nline two"',
          fields: ['b@example.com', 'true', 'line one\nline two'],
        },
        { lineNumber: 6, raw: 'c@example.com, COMPLAINT', fields: ['c@example.com', ' COMPLAINT'] },
        { lineNumber: 7, raw: '"d@example.com",,', fields: ['d@example.com', '', ''] },
      ]);
    },
  );

  it('reads newline-delimited JSON, skipping blank lines', async () => {
    const text = '{"emailAddress":"a@example.com"}\r\n\n  \n{"emailAddress":"é@example.com"}\n{broken';
    expect(await all(jsonLines(chunks(text, 3)))).toEqual([
      { lineNumber: 1, raw: '{"emailAddress":"a@example.com"}' },
      { lineNumber: 4, raw: '{"emailAddress":"é@example.com"}' },
      { lineNumber: 5, raw: '{broken' },
    ]);
  });

  it('writes CSV lines that read back as written', async () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', '', 7];
    const line = csvLine(values);
    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines"," padded",,7');
    const [back] = await all(csvRecords(chunks(line, 5)));
    expect(back?.fields).toEqual(values.map(String));
  });

  it('keeps only the beginning of a record longer than MAX_RECORD_CHARS, and reads on', async () => {
    const huge = `"x@example.com",false,"{""a"":""${'z'.repeat(MAX_RECORD_CHARS)}""}"`;
    const csv = `emailAddress,unsubscribeAll,attributesData\n${huge}\r\nb@example.com,true,\n`;
    const records = await all(csvRecords(chunks(csv, 65536)));
    expect(records.map((r) => [r.lineNumber, r.tooLong, r.fields])).toEqual([
      [1, undefined, ['emailAddress', 'unsubscribeAll', 'attributesData']],
      [2, true, []],
      [3, undefined, ['b@example.com', 'true', '']],
    ]);
    expect(records[1]!.raw).toBe(huge.slice(0, MAX_RECORD_CHARS));
    const json = `{"emailAddress":"a@example.com"}\n{"attributesData":"${'z'.repeat(MAX_RECORD_CHARS)}"}\n{"emailAddress":"b@example.com"}`;
    const lines = await all(jsonLines(chunks(json, 65536)));
    expect(lines.map((r) => [r.lineNumber, r.tooLong, r.raw.length])).toEqual([
      [1, undefined, 32],
      [2, true, MAX_RECORD_CHARS],
      [3, undefined, 32],
    ]);
  });

  it('reads a record of many quoted fields in one pass over it', async () => {
    // Each quoted field used to rescan the record read so far: 300,000 of them took minutes.
    const line = `a@example.com${',""'.repeat(300_000)}`;
    const [record] = await all(csvRecords(chunks(line, 65536)));
    expect(record?.fields).toHaveLength(300_001);
    expect(record?.fields?.[300_000]).toBe('');
  });
});
