import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

// The pages talk only to their own origin; no inline script (the Vite build has none), styles may be inline (React).
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * The head office's pages (renderer/hub/, built by Vite into `<pagesDir>/hub/index.html` beside the counter's page,
 * sharing `<pagesDir>/assets/`). `/` sends the browser to `/hub/`; only `/hub/…` and `/assets/…` are served, so the
 * counter's own page is not offered by the hub. Returns false for any other path. The hub has its own small reader
 * (rather than electron/host/static-files.ts) because it never imports the counter's host.
 */
export async function routePages(pagesDir: string | null, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = url.pathname;
  if (path === '/' || path === '/hub') {
    res.writeHead(302, { location: '/hub/', 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  if (!path.startsWith('/hub/') && !path.startsWith('/assets/')) return false;
  if (pagesDir === null) return notBuilt(res);
  const file = await readPagesFile(pagesDir, path === '/hub/' ? '/hub/index.html' : path);
  if (!file) {
    if (path === '/hub/') return notBuilt(res);
    return false;
  }
  const isPage = file.type.startsWith('text/html');
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': file.body.length,
    // Asset names carry a content hash (Vite); the page itself must always be fresh.
    'cache-control': isPage ? 'no-store' : 'public, max-age=31536000, immutable',
    ...PAGE_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}

function notBuilt(res: ServerResponse): true {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('总部页面尚未构建：请先运行 npm run build / The hub pages are not built: run npm run build first\n');
  return true;
}

async function readPagesFile(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const full = join(root, normalize(decoded).replace(/^([/\\])+/, ''));
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return { body: await readFile(full), type: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
