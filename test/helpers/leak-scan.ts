import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Finds secrets where they must never be: logs, artifacts, exports, API results. Given the known secret values
 * of a run (API keys, private-key PEMs, full auth codes, full openids), it looks for each in the forms a leak
 * usually takes: as is, JSON-escaped, a PEM body without line breaks or any single line of it, base64 and hex of
 * the value. A hit reports where and which secret, never the value itself.
 */
export interface KnownSecret {
  /** What it is, for the report ("apiV3Key", "authCode #3"). */
  name: string;
  value: string;
}

export interface LeakHit {
  secret: string;
  form: string;
  where: string;
  offset: number;
}

/** Needles shorter than this match by chance in binary files and long logs. */
const MIN_NEEDLE = 12;
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]+?)-----END \1-----/;

export function secretForms(secret: KnownSecret): { form: string; needle: string }[] {
  const forms: { form: string; needle: string }[] = [];
  const add = (form: string, needle: string): void => {
    if (needle.length >= Math.min(MIN_NEEDLE, secret.value.length) && needle.length >= 6 && !forms.some((f) => f.needle === needle)) {
      forms.push({ form, needle });
    }
  };
  const value = secret.value;
  add('raw', value);
  add('raw-trimmed', value.trim());
  add('json-escaped', JSON.stringify(value).slice(1, -1));
  const pem = PEM.exec(value);
  if (pem) {
    const body = (pem[2] ?? '').replace(/\s+/g, '');
    add('pem-body', body);
    for (const line of (pem[2] ?? '').split(/\s+/).filter((l) => l.length >= 40)) add('pem-line', line);
  } else {
    add('base64', Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, ''));
    add('hex', Buffer.from(value, 'utf8').toString('hex'));
  }
  return forms;
}

export function scanText(text: string, where: string, secrets: readonly KnownSecret[]): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const secret of secrets) {
    for (const { form, needle } of secretForms(secret)) {
      const offset = text.indexOf(needle);
      if (offset >= 0) hits.push({ secret: secret.name, form, where, offset });
    }
  }
  return hits;
}

/** Binary-safe: looks for the UTF-8 and UTF-16LE bytes of every form (SQLite files, crash dumps). */
export function scanBuffer(data: Buffer, where: string, secrets: readonly KnownSecret[]): LeakHit[] {
  const hits: LeakHit[] = [];
  for (const secret of secrets) {
    for (const { form, needle } of secretForms(secret)) {
      for (const [encoding, suffix] of [['utf8', ''], ['utf16le', '/utf16']] as const) {
        const offset = data.indexOf(Buffer.from(needle, encoding));
        if (offset >= 0) hits.push({ secret: secret.name, form: `${form}${suffix}`, where, offset });
      }
    }
  }
  return hits;
}

/** Scans files and, recursively, folders. */
export function scanPaths(paths: readonly string[], secrets: readonly KnownSecret[]): LeakHit[] {
  return paths.flatMap((path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return scanPaths(readdirSync(path).map((name) => join(path, name)), secrets);
    return stat.isFile() ? scanBuffer(readFileSync(path), path, secrets) : [];
  });
}

/** Anything that looks like a private key or a payment code, known or not. */
export function scanForSecretShapes(text: string, where: string): LeakHit[] {
  const shapes: [string, RegExp][] = [
    ['private-key-pem', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ['payment-code', /(?<![0-9])1[0-5][0-9]{16}(?![0-9])/],
  ];
  return shapes.flatMap(([form, pattern]) => {
    const match = pattern.exec(text);
    return match ? [{ secret: '(unknown)', form, where, offset: match.index }] : [];
  });
}

/** The text with every form of every secret replaced by ***, for attaching logs to a failure report safely. */
export function redactSecrets(text: string, secrets: readonly KnownSecret[]): string {
  let out = text;
  const needles = secrets.flatMap(secretForms).map((f) => f.needle).sort((a, b) => b.length - a.length);
  for (const needle of needles) out = out.split(needle).join('***');
  return out;
}

/** A readable report line per hit (no secret values in it). */
export function describeHits(hits: readonly LeakHit[]): string {
  return hits.map((h) => `${h.secret} (${h.form}) in ${h.where} at ${h.offset}`).join('\n');
}
