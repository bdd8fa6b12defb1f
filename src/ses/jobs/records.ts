// The records of an import's source object, read as a stream: CSV (RFC 4180: quoted fields may
// hold commas, quotes doubled, line breaks) or newline-delimited JSON (one object per line, as SES
// documents it). Blank lines are not records; a UTF-8 byte order mark is skipped. Each record keeps
// the line it starts on and its text as written, for the failure report.
import { StringDecoder } from 'node:string_decoder';

export interface SourceRecord {
  lineNumber: number;
  /** The record as written (without its line break). */
  raw: string;
  /** CSV: the fields, unquoted. JSON: undefined (parse `raw`). */
  fields?: string[];
}

async function* decoded(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

export async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<SourceRecord> {
  let line = 1;
  let start = 1;
  let fields: string[] = [];
  let field = '';
  let raw = '';
  let quoted = false;
  let quoteSeen = false; // the last character was a quote inside a quoted field
  const end = (): SourceRecord | undefined => {
    fields.push(field);
    const record = raw.trim() === '' ? undefined : { lineNumber: start, raw, fields };
    fields = [];
    field = '';
    raw = '';
    return record;
  };
  for await (const text of decoded(source)) {
    for (const ch of text) {
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (ch === '"') {
            field += '"';
            raw += ch;
            continue;
          }
          quoted = false; // the closing quote: fall through to the unquoted rules
        } else {
          if (ch === '"') quoteSeen = true;
          else field += ch;
          if (ch === '\n') line++;
          raw += ch;
          continue;
        }
      }
      if (ch === '\n') {
        if (raw.endsWith('\r')) {
          raw = raw.slice(0, -1);
          if (field.endsWith('\r')) field = field.slice(0, -1);
        }
        const r = end();
        if (r) yield r;
        start = ++line;
        continue;
      }
      raw += ch;
      if (ch === ',') {
        fields.push(field);
        field = '';
      } else if (ch === '"' && field === '' && !/[^,]$/.test(raw.slice(0, -1))) {
        quoted = true;
      } else field += ch;
    }
  }
  if (raw.endsWith('\r')) {
    raw = raw.slice(0, -1);
    if (field.endsWith('\r')) field = field.slice(0, -1);
  }
  const last = end();
  if (last) yield last;
}

export async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<SourceRecord> {
  let line = 0;
  let pending = '';
  for await (const text of decoded(source)) {
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) {
      line++;
      const raw = part.replace(/\r$/, '');
      if (raw.trim() !== '') yield { lineNumber: line, raw };
    }
  }
  const raw = pending.replace(/\r$/, '');
  if (raw.trim() !== '') yield { lineNumber: line + 1, raw };
}

/** One CSV line: fields quoted when they hold a comma, a quote, a line break or edge spaces. */
export function csvLine(values: readonly (string | number | boolean | undefined | null)[]): string {
  return values
    .map((v) => {
      const s = v === undefined || v === null ? '' : String(v);
      return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
