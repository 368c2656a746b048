import { create as createQr } from 'qrcode';
import { layoutReceipt, paperColumns, type PaperWidth, type ReceiptDocument, type ReceiptLine } from './receipt';

/**
 * The same receipt as a self-contained HTML page (no external files, fonts or scripts) for printers that only
 * have an OS driver: Electron loads it in a hidden window and calls webContents.print({ silent: true }).
 * It is built from the same laid-out lines as the ESC/POS bytes, one element per printed line.
 */
export interface ReceiptHtmlOptions {
  paper: PaperWidth;
  /** The page title (shows in the OS print queue). */
  title?: string;
}

/** Printable width in mm: 58 mm rolls print about 48 mm, 80 mm rolls about 72 mm. */
const PRINTABLE_MM: Record<PaperWidth, number> = { 58: 48, 80: 72 };

const FONT_STACK = [
  '"WenQuanYi Micro Hei Mono"', '"Noto Sans Mono CJK SC"', '"Sarasa Mono SC"', '"NSimSun"', '"SimSun"',
  '"WenQuanYi Micro Hei"', '"Microsoft YaHei"', 'monospace',
].join(', ');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderReceiptHtml(doc: ReceiptDocument, options: ReceiptHtmlOptions): string {
  const columns = paperColumns(options.paper);
  const width = PRINTABLE_MM[options.paper];
  // CJK monospace fonts draw ASCII 0.5–0.6 em wide (WenQuanYi Micro Hei Mono: 0.6) and CJK 1 em: sizing for
  // `columns` ASCII characters at 0.6 em keeps every laid-out line (CJK counted as two columns) on the page.
  const fontMm = width / (columns * 0.6);
  const body = layoutReceipt(doc, columns).map(lineHtml).join('\n');
  const lang = doc.lang === 'zh' ? 'zh-CN' : 'en';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'Receipt')}</title>
<style>
  @page { size: ${options.paper}mm auto; margin: 0; }
  html, body { margin: 0; padding: 0; background: #fff; color: #000; }
  body { width: ${width}mm; padding: 2mm ${(options.paper - width) / 2}mm; font-family: ${FONT_STACK};
    font-size: ${fontMm.toFixed(3)}mm; line-height: 1.25; }
  .line { white-space: pre; overflow: hidden; min-height: 1.25em; }
  .bold { font-weight: bold; }
  .double { font-size: 2em; line-height: 1.2; }
  .left { text-align: left; } .center { text-align: center; } .right { text-align: right; }
  .row { display: flex; justify-content: space-between; gap: 0.5em; }
  .row > span:last-child { margin-left: auto; }
  .qr { display: flex; justify-content: center; padding: 1mm 0; }
  .qr svg { width: ${Math.round(width * 0.6)}mm; height: ${Math.round(width * 0.6)}mm; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function lineHtml(line: ReceiptLine): string {
  switch (line.type) {
    case 'text': {
      const classes = ['line', line.align, line.bold ? 'bold' : '', line.double ? 'double' : ''].filter(Boolean);
      return `<div class="${classes.join(' ')}" data-line>${escapeHtml(line.text)}</div>`;
    }
    case 'row':
      return `<div class="line row${line.bold ? ' bold' : ''}" data-line><span>${escapeHtml(line.left)}</span><span>${escapeHtml(line.right)}</span></div>`;
    case 'rule':
      return `<div class="line" data-line>${escapeHtml(line.text)}</div>`;
    case 'blank':
      return `<div class="line" data-line></div>`;
    case 'qr':
      return `<div class="qr" data-qr="${escapeHtml(line.data)}">${qrSvg(line.data)}</div>`;
  }
}

/** The QR symbol as inline SVG (one path, crisp at any print resolution), with the 4-module quiet zone. */
export function qrSvg(data: string): string {
  const { modules } = createQr(data, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + quiet * 2;
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
