import { describe, expect, it } from 'vitest';
import { jsonRows } from '../../../electron/hub/db/json-rows';

describe('rows as one JSON text for PostgreSQL (electron/hub/db/json-rows.ts)', () => {
  it('keeps every string as it is, quotes, backslashes, escapes written as text and emoji included', () => {
    const rows = [{ body: '{"name":"矿泉水 \\"大\\"","note":"\\\\ud800 as text"}', name: '😀 面包', n: 12, none: null }];
    expect(JSON.parse(jsonRows(rows))).toEqual(rows);
  });

  it('stores a lone surrogate as U+FFFD, as pg encoded it, instead of an escape PostgreSQL would refuse', () => {
    const text = jsonRows([{ name: `a${String.fromCharCode(0xd800)}b`, other: `${String.fromCharCode(0xdc00)}`, pair: '😀' }]);
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(text)).toEqual([{ name: 'a\ufffdb', other: '\ufffd', pair: '😀' }]);
  });
});
