import { describe, expect, it } from 'vitest';
import { csvLine, csvRecords, jsonLines, type SourceRecord } from './records.js';

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
});
