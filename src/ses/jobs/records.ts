// The records of an import's source object, read as a stream: CSV (RFC 4180: quoted fields may
// hold commas, quotes doubled, line breaks) or newline-delimited JSON (one object per line, as SES
// documents it). Blank lines are not records; a UTF-8 byte order mark is skipped. Each record keeps
// the line it starts on and its text as written, for the failure report. A record longer than
// MAX_RECORD_CHARS is read to its end but kept only in part (`tooLong`): a source object is the
// caller's, and one line of gigabytes must not fill the node's memory.
import { StringDecoder } from 'node:string_decoder';

/** [INF] SES documents no limit on one record; a contact with a megabyte of attributes is far past any real one. */
export const MAX_RECORD_CHARS = 1024 * 1024;

export interface SourceRecord {
  lineNumber: number;
  /** The record as written (without its line break). */
  raw: string;
  /** CSV: the fields, unquoted. JSON: undefined (parse `raw`). */
  fields?: string[];
  /** The record is longer than MAX_RECORD_CHARS: `raw` is its beginning, `fields` are empty. */
  tooLong?: true;
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
  let over = false; // the record passed MAX_RECORD_CHARS: the rest is read, not kept
  let quoted = false;
  let quoteSeen = false; // the last character was a quote inside a quoted field
  let fieldStart = true; // nothing of the current field has been read (a quote here opens it)
  const keep = (ch: string, inField: boolean) => {
    if (over) return;
    if (raw.length >= MAX_RECORD_CHARS) {
      over = true;
      fields = [];
      field = '';
      return;
    }
    raw += ch;
    if (inField) field += ch;
  };
  const end = (): SourceRecord | undefined => {
    if (raw.endsWith('\r')) {
      raw = raw.slice(0, -1);
      if (field.endsWith('\r')) field = field.slice(0, -1);
    }
    let record: SourceRecord | undefined;
    if (over) record = { lineNumber: start, raw, fields: [], tooLong: true };
    else if (raw.trim() !== '') record = { lineNumber: start, raw, fields: [...fields, field] };
    fields = [];
    field = '';
    raw = '';
    over = false;
    fieldStart = true;
    return record;
  };
  for await (const text of decoded(source)) {
    for (const ch of text) {
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (ch === '"') {
            keep(ch, true);
            continue;
          }
          quoted = false; // the closing quote: fall through to the unquoted rules
        } else {
          if (ch === '"') {
            quoteSeen = true;
            keep(ch, false);
          } else keep(ch, true);
          if (ch === '\n') line++;
          continue;
        }
      }
      if (ch === '\n') {
        const r = end();
        if (r) yield r;
        start = ++line;
        continue;
      }
      if (ch === ',') {
        keep(ch, false);
        if (!over) fields.push(field);
        field = '';
        fieldStart = true;
        continue;
      }
      if (ch === '"' && fieldStart) {
        quoted = true;
        fieldStart = false;
        keep(ch, false);
        continue;
      }
      fieldStart = false;
      keep(ch, true);
    }
  }
  const last = end();
  if (last) yield last;
}

export async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<SourceRecord> {
  let line = 0;
  let pending = '';
  let over = false; // the line passed MAX_RECORD_CHARS: the rest is read, not kept
  const append = (part: string) => {
    if (over) return;
    pending += part;
    if (pending.length > MAX_RECORD_CHARS) {
      pending = pending.slice(0, MAX_RECORD_CHARS);
      over = true;
    }
  };
  const take = (): SourceRecord | undefined => {
    line++;
    const raw = over ? pending : pending.replace(/\r$/, '');
    const record: SourceRecord | undefined = over
      ? { lineNumber: line, raw, tooLong: true }
      : raw.trim() !== ''
        ? { lineNumber: line, raw }
        : undefined;
    pending = '';
    over = false;
    return record;
  };
  for await (const text of decoded(source)) {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      append(text.slice(from, nl));
      from = nl + 1;
      const r = take();
      if (r) yield r;
    }
    append(text.slice(from));
  }
  if (pending !== '' || over) {
    const r = take();
    if (r) yield r;
  }
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
