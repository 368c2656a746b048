/**
 * The flat XML of API v2: one `<xml>` root whose children are leaf fields. Written by hand instead of with a
 * general XML parser so that nothing here can ever resolve a DTD, an external entity or a nested structure
 * (XXE): anything beyond the flat shape is rejected as XmlFormatError.
 */

export class XmlFormatError extends Error {
  override readonly name = 'XmlFormatError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Splits ']]>' across two CDATA sections so any string survives inside CDATA. */
function cdata(value: string): string {
  return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** Serialises fields as `<xml>`: strings in CDATA, numbers bare (that is how WeChat Pay sends them). */
export function toXml(fields: Record<string, string | number>): string {
  const parts = ['<xml>'];
  for (const [name, value] of Object.entries(fields)) {
    if (!NAME.test(name)) throw new XmlFormatError(`invalid field name: ${name.slice(0, 40)}`);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new XmlFormatError(`field ${name} is not a finite number`);
      parts.push(`<${name}>${String(value)}</${name}>`);
    } else {
      parts.push(`<${name}>${cdata(value)}</${name}>`);
    }
  }
  parts.push('</xml>');
  return parts.join('');
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; any other entity is refused (no DTD here). */
function decodeText(raw: string): string {
  return raw.replace(/&([^;&]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new XmlFormatError('bare & in text');
    const named = PREDEFINED[body];
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) {
        throw new XmlFormatError('invalid character reference');
      }
      return String.fromCodePoint(code);
    }
    throw new XmlFormatError('entity references are not allowed');
  });
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }
  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }
  expect(token: string): void {
    if (!this.startsWith(token)) throw new XmlFormatError(`expected ${token} at ${this.pos}`);
    this.pos += token.length;
  }
  readName(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!match) throw new XmlFormatError(`expected a name at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }
}

function skipProlog(cur: Cursor): void {
  if (cur.text.charCodeAt(0) === 0xfeff) cur.pos = 1;
  cur.skipSpace();
  if (cur.startsWith('<?xml')) {
    const end = cur.text.indexOf('?>', cur.pos);
    if (end < 0) throw new XmlFormatError('unterminated XML declaration');
    cur.pos = end + 2;
  }
  skipMisc(cur);
  if (cur.startsWith('<!')) throw new XmlFormatError('DTDs and declarations are not allowed');
}

/** Whitespace and comments; processing instructions and DTDs are refused. */
function skipMisc(cur: Cursor): void {
  for (;;) {
    cur.skipSpace();
    if (cur.startsWith('<!--')) {
      const end = cur.text.indexOf('-->', cur.pos + 4);
      if (end < 0) throw new XmlFormatError('unterminated comment');
      cur.pos = end + 3;
    } else if (cur.startsWith('<?')) {
      throw new XmlFormatError('processing instructions are not allowed');
    } else {
      return;
    }
  }
}

/** Reads a leaf's content up to `</name>`: CDATA sections and text, mixed, but no child elements. */
function readLeafContent(cur: Cursor, name: string): string {
  let value = '';
  for (;;) {
    if (cur.pos >= cur.text.length) throw new XmlFormatError(`unterminated element ${name}`);
    if (cur.startsWith('<![CDATA[')) {
      const end = cur.text.indexOf(']]>', cur.pos + 9);
      if (end < 0) throw new XmlFormatError('unterminated CDATA');
      value += cur.text.slice(cur.pos + 9, end);
      cur.pos = end + 3;
    } else if (cur.startsWith('</')) {
      cur.pos += 2;
      if (cur.readName() !== name) throw new XmlFormatError(`mismatched closing tag for ${name}`);
      cur.skipSpace();
      cur.expect('>');
      return value;
    } else if (cur.startsWith('<!--')) {
      const end = cur.text.indexOf('-->', cur.pos + 4);
      if (end < 0) throw new XmlFormatError('unterminated comment');
      cur.pos = end + 3;
    } else if (cur.startsWith('<')) {
      throw new XmlFormatError(`element ${name} is not a leaf`);
    } else {
      const next = cur.text.indexOf('<', cur.pos);
      const end = next < 0 ? cur.text.length : next;
      const raw = cur.text.slice(cur.pos, end);
      if (raw.includes(']]>')) throw new XmlFormatError("']]>' in text");
      value += decodeText(raw);
      cur.pos = end;
    }
  }
}

/**
 * Parses a v2 message into name → value. Values may be CDATA or plain text (both occur). Throws XmlFormatError on
 * anything malformed, on a DTD or entity declaration, on nested elements, attributes or duplicate fields.
 */
export function parseXml(text: string): Record<string, string> {
  const cur = new Cursor(text);
  skipProlog(cur);
  cur.expect('<xml');
  cur.skipSpace();
  cur.expect('>');
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (;;) {
    skipMisc(cur);
    if (cur.startsWith('</xml')) break;
    if (cur.startsWith('<!')) throw new XmlFormatError('declarations are not allowed');
    cur.expect('<');
    const name = cur.readName();
    cur.skipSpace();
    let value = '';
    if (cur.startsWith('/>')) {
      cur.pos += 2;
    } else {
      cur.expect('>');
      value = readLeafContent(cur, name);
    }
    if (Object.prototype.hasOwnProperty.call(fields, name)) throw new XmlFormatError(`duplicate field ${name}`);
    fields[name] = value;
  }
  cur.expect('</xml');
  cur.skipSpace();
  cur.expect('>');
  skipMisc(cur);
  if (cur.pos !== cur.text.length) throw new XmlFormatError('content after the root element');
  return { ...fields };
}
