import { useEffect, useState } from 'react';

/** Where the pages are: `#/<path>?<params>` (hash routing: the hub serves one page, reloads keep the place). */
export interface HubLocation {
  path: string;
  params: URLSearchParams;
}

export function readLocation(hash = location.hash): HubLocation {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path, params: new URLSearchParams(query) };
}

export function hrefOf(path: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${path}${query ? `?${query}` : ''}`;
}

export function navigate(path: string, params: Record<string, string> = {}): void {
  location.hash = hrefOf(path, params);
}

export function useHubLocation(): HubLocation {
  const [where, setWhere] = useState(() => readLocation());
  useEffect(() => {
    const changed = (): void => setWhere(readLocation());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return where;
}
