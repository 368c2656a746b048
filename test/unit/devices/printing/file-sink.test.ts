import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePrinterSink } from '../../../../electron/devices/printer/file-sink';
import { openPrinterSink, PrinterSetupError } from '../../../../electron/devices/printer/open-sink';
import { PrinterUnreachableError } from '../../../../electron/devices/printer/sink';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'file-sink-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('file printer sink', () => {
  it('appends each job to the file', async () => {
    const path = join(dir, 'receipts.bin');
    const sink = openPrinterSink({ kind: 'file', path });
    expect(sink.format).toBe('escpos');
    if (sink.format !== 'escpos') return;
    await sink.write(Uint8Array.of(0x1b, 0x40));
    await sink.write(Uint8Array.of(0x41, 0x0a));
    expect(Array.from(readFileSync(path))).toEqual([0x1b, 0x40, 0x41, 0x0a]);
    expect('readStatus' in sink).toBe(false);
  });

  it('reports a path it cannot write as an unreachable printer', async () => {
    const sink = new FilePrinterSink(join(dir, 'missing-dir', 'lp0'));
    await expect(sink.write(Uint8Array.of(0x0a))).rejects.toThrow(PrinterUnreachableError);
  });

  it('refuses an OS printer where no Electron adapter was provided', () => {
    expect(() => openPrinterSink({ kind: 'os', deviceName: 'XP-80C' })).toThrow(PrinterSetupError);
  });
});
