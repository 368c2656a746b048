/**
 * Rows as one JSON text, for PostgreSQL's `json_to_recordset($1::json)`: a push's 500 facts (or its sales, lines and
 * tenders) travel as one string parameter that `pg` sends as it is. As arrays per column (`unnest`), `pg` escaped
 * every element of every array in JavaScript (its `escapeElement`: ~11 % of the hub's time in the intake bench's
 * profile, the bodies being JSON full of quotes), where `JSON.stringify` is native.
 *
 * A string holding a lone UTF-16 surrogate (only a crafted `\ud800` escape can make one) is stored as U+FFFD, as
 * `pg` stored it when it encoded the text parameter itself; PostgreSQL's JSON parser would refuse the escape instead.
 */
export function jsonRows(rows: readonly object[]): string {
  const text = JSON.stringify(rows);
  // JSON.stringify writes a lone surrogate as a `\udxxx` escape and nothing else as one: rare, so checked cheaply first.
  if (!text.includes('\\ud')) return text;
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\ufffd') : value));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
