import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, toXml, XmlFormatError } from '../../../electron/wechat/v2/xml';

describe('v2 XML writing', () => {
  it('wraps strings in CDATA and writes numbers bare', () => {
    expect(toXml({ body: '测试', total_fee: 1250 })).toBe('<xml><body><![CDATA[测试]]></body><total_fee>1250</total_fee></xml>');
  });

  it("keeps ']]>' inside a value intact", () => {
    const xml = toXml({ attach: 'a]]>b]]>' });
    expect(parseXml(xml)).toEqual({ attach: 'a]]>b]]>' });
  });

  it('refuses a field name that is not an XML name', () => {
    expect(() => toXml({ 'bad name': 'x' })).toThrow(XmlFormatError);
    expect(() => toXml({ '<x>': 'x' })).toThrow(XmlFormatError);
  });
});

describe('v2 XML reading', () => {
  it('reads CDATA and bare values alike, with a declaration, BOM and whitespace', () => {
    const text = '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n  <total_fee>1</total_fee>\n  <empty></empty><also_empty/>\n</xml>\n';
    expect(parseXml(text)).toEqual({ return_code: 'SUCCESS', total_fee: '1', empty: '', also_empty: '' });
  });

  it('decodes the predefined entities and character references in bare text', () => {
    expect(parseXml('<xml><a>&lt;b&gt; &amp; &quot;&apos; &#20013;&#x6587;</a></xml>')).toEqual({ a: '<b> & "\' 中文' });
  });

  it('keeps text inside CDATA literally', () => {
    expect(parseXml('<xml><a><![CDATA[&amp;<b>]]></a></xml>')).toEqual({ a: '&amp;<b>' });
  });

  it('ignores comments', () => {
    expect(parseXml('<!-- c --><xml><!-- c --><a>1</a></xml><!-- c -->')).toEqual({ a: '1' });
  });

  const refused: [string, string][] = [
    ['an external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>'],
    ['a DOCTYPE without entities', '<!DOCTYPE xml><xml><a>1</a></xml>'],
    ['an undeclared entity', '<xml><a>&xxe;</a></xml>'],
    ['a bare ampersand', '<xml><a>a & b</a></xml>'],
    ['a nested element', '<xml><a><b>1</b></a></xml>'],
    ['attributes on the root', '<xml id="1"><a>1</a></xml>'],
    ['a duplicate field', '<xml><a>1</a><a>2</a></xml>'],
    ['a mismatched closing tag', '<xml><a>1</b></xml>'],
    ['an unterminated element', '<xml><a>1'],
    ['an unterminated CDATA', '<xml><a><![CDATA[1</a></xml>'],
    ['a different root', '<root><a>1</a></root>'],
    ['text after the root', '<xml><a>1</a></xml>trailing'],
    ['a processing instruction inside', '<xml><?pi x?><a>1</a></xml>'],
    ['an empty body', ''],
    ['JSON', '{"return_code":"SUCCESS"}'],
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>'],
    ['a character reference to NUL', '<xml><a>&#0;</a></xml>'],
  ];
  for (const [what, text] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => parseXml(text)).toThrow(XmlFormatError);
    });
  }

  it('treats __proto__ as an ordinary field name', () => {
    const parsed = parseXml('<xml><__proto__>x</__proto__></xml>');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});

describe('v2 XML properties', () => {
  const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/).filter((n) => n !== '__proto__');
  // Any string XML 1.0 can carry: no control characters other than tab, newline and carriage return.
  const xmlChar = (ch: string): boolean => {
    const code = ch.codePointAt(0) ?? 0;
    return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
  };
  const value = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => [...s].filter(xmlChar).join(''));

  it('reads back exactly what it wrote', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 12 }), (fields) => {
        expect(parseXml(toXml(fields))).toEqual(fields);
      }),
    );
  });

  it('reads numbers back as their decimal text', () => {
    fc.assert(
      fc.property(fc.dictionary(name, fc.nat(), { maxKeys: 8 }), (fields) => {
        const asText = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
        expect(parseXml(toXml(fields))).toEqual(asText);
      }),
    );
  });

  it('never throws anything but XmlFormatError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseXml(`<xml>${text}</xml>`);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlFormatError);
        }
      }),
    );
  });
});
