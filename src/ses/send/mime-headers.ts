// The header block of a raw MIME message as byte ranges: enough to read X-SES-* control headers in
// order (the first occurrence wins), strip them, and rewrite Message-ID/Date, without copying or
// parsing the body (which may be tens of megabytes).

export interface HeaderField {
  /** Field name as written. */
  name: string;
  /** Unfolded value, trimmed. */
  value: string;
  /** The field's raw bytes including its folded continuation lines and line ending. */
  raw: Buffer;
}

export interface SplitMessage {
  fields: HeaderField[];
  /** Offset of the first body byte (after the empty line); raw.length when there is no body. */
  bodyOffset: number;
  /** The line ending the message uses (`\r\n` or `\n`), for inserted fields. */
  eol: string;
}

/** A field whose value is unfolded and decoded only when read (restamping reads names only). */
class LazyField implements HeaderField {
  #value: string | undefined;
  constructor(
    readonly name: string,
    readonly raw: Buffer,
    private readonly valueStart: number,
  ) {}
  get value(): string {
    if (this.#value === undefined) {
      const v = this.raw
        .toString('latin1', this.valueStart)
        .replace(/\r?\n[ \t]/g, ' ')
        .trim();
      // Header values are bytes; UTF-8 (RFC 6532) is decoded for reading only.
      this.#value = Buffer.from(v, 'latin1').toString('utf8');
    }
    return this.#value;
  }
}

/** Splits the header block; tolerant of bare LF line endings and a missing body. */
export function splitHeaders(raw: Buffer): SplitMessage {
  const fields: HeaderField[] = [];
  let pos = 0;
  let eol = '\r\n';
  let sawEol = false;
  let current: { start: number; end: number } | undefined;
  const flush = () => {
    if (!current) return;
    // Searched within the field only: a line without a colon must not scan the rest of the message.
    const rel = raw.subarray(current.start, current.end).indexOf(0x3a);
    const colon = rel < 0 ? -1 : current.start + rel;
    if (colon > current.start) {
      const name = raw.toString('latin1', current.start, colon).trim();
      if (name !== '') {
        const bytes = raw.subarray(current.start, current.end);
        fields.push(new LazyField(name, bytes, colon + 1 - current.start));
      }
    }
    current = undefined;
  };
  while (pos < raw.length) {
    const nl = raw.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? raw.length : nl + 1;
    if (!sawEol && nl >= 0) {
      eol = nl > 0 && raw[nl - 1] === 0x0d ? '\r\n' : '\n';
      sawEol = true;
    }
    const contentEnd = nl < 0 ? raw.length : nl > pos && raw[nl - 1] === 0x0d ? nl - 1 : nl;
    if (contentEnd === pos) {
      // The empty line: headers end here.
      flush();
      return { fields, bodyOffset: lineEnd, eol };
    }
    const first = raw[pos];
    if ((first === 0x20 || first === 0x09) && current) current.end = lineEnd;
    else {
      flush();
      current = { start: pos, end: lineEnd };
    }
    pos = lineEnd;
  }
  flush();
  return { fields, bodyOffset: raw.length, eol };
}

/** The first field of that name (case-insensitive), as SES honours only the first X-SES-* header. */
export function firstHeader(fields: readonly HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower)?.value;
}

/**
 * Rebuilds the message: drops the fields `drop` selects, puts `prepend` fields first, and appends
 * the body bytes unchanged. The body is referenced, not re-encoded.
 */
export function rebuildMessage(
  raw: Buffer,
  split: SplitMessage,
  drop: (f: HeaderField) => boolean,
  prepend: { name: string; value: string }[] = [],
): Buffer {
  const parts: Buffer[] = prepend.map((p) => Buffer.from(`${p.name}: ${p.value}${split.eol}`, 'utf8'));
  for (const f of split.fields) {
    if (drop(f)) continue;
    // A last header line without a line ending still needs one before the separator.
    const last = f.raw[f.raw.length - 1];
    parts.push(last === 0x0a ? f.raw : Buffer.concat([f.raw, Buffer.from(split.eol)]));
  }
  parts.push(Buffer.from(split.eol));
  parts.push(raw.subarray(split.bodyOffset));
  return Buffer.concat(parts);
}

export const isSesControlHeader = (f: HeaderField): boolean => /^x-ses-/i.test(f.name);
