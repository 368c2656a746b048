import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { LineAssembler } from '../../../../electron/devices/scanner/line-assembler';

function setup(options: ConstructorParameters<typeof LineAssembler>[2] = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const logger = new MemoryLogger();
  return { clock, logger, assembler: new LineAssembler(clock, logger, options) };
}

describe('LineAssembler', () => {
  it('splits codes ending in CR, CRLF or LF and trims them', () => {
    const { assembler } = setup();
    expect(assembler.push(Buffer.from('6901234567892\r 96385074 \r\n036000291452\n'))).toEqual([
      '6901234567892',
      '96385074',
      '036000291452',
    ]);
  });

  it('reassembles a code split over several chunks, including a CRLF split in two', () => {
    const { assembler } = setup();
    expect(assembler.push('13456')).toEqual([]);
    expect(assembler.push('7890123')).toEqual([]);
    expect(assembler.push('456789\r')).toEqual(['134567890123456789']);
    expect(assembler.push('\n6901234')).toEqual([]);
    expect(assembler.push('567892\r\n')).toEqual(['6901234567892']);
  });

  it('splits only on the configured suffix, trimming the other line-end byte', () => {
    const cr = setup({ suffix: 'CR' }).assembler;
    expect(cr.push('6901234567892\r\n96385074\r')).toEqual(['6901234567892', '96385074']);
    const lf = setup({ suffix: 'LF' }).assembler;
    expect(lf.push('6901234567892\r')).toEqual([]);
    expect(lf.push('\n')).toEqual(['6901234567892']);
    const crlf = setup({ suffix: 'CRLF' }).assembler;
    expect(crlf.push('6901234567892\r')).toEqual([]);
    expect(crlf.push('\n96385074\r\n')).toEqual(['6901234567892', '96385074']);
  });

  it('drops a line with control or non-ASCII bytes with a log line, and keeps reading', () => {
    const { assembler, logger } = setup();
    const chunk = Buffer.concat([Buffer.from([0x36, 0x39, 0x00, 0x1b, 0xff, 0x0d]), Buffer.from('96385074\r')]);
    expect(assembler.push(chunk)).toEqual(['96385074']);
    expect(logger.lines).toEqual([
      { level: 'warn', message: 'scanner: dropped a line', fields: { reason: 'control-bytes', length: 5 } },
    ]);
  });

  it('drops an over-long line, even one that never ends, and reads the next code', () => {
    const { assembler, logger } = setup({ maxLineLength: 20 });
    expect(assembler.push(`${'7'.repeat(21)}\r6901234567892\r`)).toEqual(['6901234567892']);
    expect(assembler.push('8'.repeat(15))).toEqual([]);
    expect(assembler.push('8'.repeat(15))).toEqual([]);
    expect(assembler.push('8'.repeat(500))).toEqual([]);
    expect(assembler.push('8888\r96385074\r')).toEqual(['96385074']);
    // Once for the line that ended, once for the one that never did (not once per chunk of it).
    expect(logger.lines.map((l) => [l.message, l.fields.reason])).toEqual([
      ['scanner: dropped a line', 'too-long'],
      ['scanner: dropped a line', 'too-long'],
    ]);
  });

  it('ignores the same code again within 1.5 s, and accepts it after', () => {
    const { assembler, clock, logger } = setup();
    expect(assembler.push('6901234567892\r')).toEqual(['6901234567892']);
    clock.advance(400);
    expect(assembler.push('6901234567892\r')).toEqual([]);
    clock.advance(1500);
    expect(assembler.push('6901234567892\r')).toEqual(['6901234567892']);
    expect(logger.lines.filter((l) => l.message === 'scanner: ignored a repeated scan')).toHaveLength(1);
  });

  it('counts the window from the last time the code was seen (continuous-mode repeats add it once)', () => {
    const { assembler, clock } = setup();
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(...assembler.push('96385074\r'));
      clock.advance(1000);
    }
    expect(seen).toEqual(['96385074']);
  });

  it('accepts the same code twice quickly when another code came between', () => {
    const { assembler } = setup();
    expect(assembler.push('96385074\r6901234567892\r96385074\r')).toEqual(['96385074', '6901234567892', '96385074']);
  });

  it('forgets a half line after the port was lost', () => {
    const { assembler } = setup();
    assembler.push('134567');
    assembler.resetPartialLine();
    expect(assembler.push('96385074\r')).toEqual(['96385074']);
  });

  it('never logs a payment code, whole or in part', () => {
    const { assembler, logger } = setup({ maxLineLength: 20 });
    assembler.push('134567890123456789\r134567890123456789\r');
    assembler.push('134567890123456789\u0007\r');
    assembler.push(`134567890123456789${'9'.repeat(30)}\r`);
    expect(logger.text()).not.toMatch(/1345678/);
  });
});
