import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react';

/**
 * A router of a few lines for a handful of pages: the resident entry cannot afford react-router's
 * weight, and its routes are fixed. Paths are under `/r/`, which the server answers with this page.
 */
export const BASE = '/r';

export type Route =
  | { name: 'report'; alley?: string }
  | { name: 'trackLookup' }
  | { name: 'track'; code: string }
  | { name: 'login'; next: string | null }
  | { name: 'alley'; id: string }
  | { name: 'poster'; id: string }
  | { name: 'patrol' }
  | { name: 'points' }
  | { name: 'proposals' }
  | { name: 'certificate' }
  | { name: 'parking' }
  | { name: 'notFound' };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function matchRoute(pathname: string, search = ''): Route {
  if (pathname !== BASE && !pathname.startsWith(`${BASE}/`)) return { name: 'notFound' };
  const parts = pathname.slice(BASE.length).split('/').filter(Boolean).map(decode);
  const [first, second, third, ...rest] = parts;
  if (rest.length > 0) return { name: 'notFound' };
  if (first === undefined) {
    // `?alley=ID`: reporting from an alley's board, in that alley.
    const alley = new URLSearchParams(search).get('alley');
    return alley ? { name: 'report', alley } : { name: 'report' };
  }
  if (first === 'track' && second === undefined) return { name: 'trackLookup' };
  if (first === 'track' && second && third === undefined) return { name: 'track', code: second };
  if (first === 'login' && second === undefined) {
    const next = new URLSearchParams(search).get('next');
    // Only paths of this page: an absolute URL here would make the form an open redirect.
    return { name: 'login', next: next?.startsWith(`${BASE}/`) ? next : null };
  }
  if (first === 'patrol' && second === undefined) return { name: 'patrol' };
  if (first === 'points' && second === undefined) return { name: 'points' };
  if (first === 'proposals' && second === undefined) return { name: 'proposals' };
  if (first === 'certificate' && second === undefined) return { name: 'certificate' };
  if (first === 'parking' && second === undefined) return { name: 'parking' };
  if (first === 'alley' && second && third === undefined) return { name: 'alley', id: second };
  if (first === 'alley' && second && third === 'poster') return { name: 'poster', id: second };
  return { name: 'notFound' };
}

const NAVIGATE_EVENT = 'hutong:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const read = () => matchRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const update = () => setRoute(matchRoute(window.location.pathname, window.location.search));
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return route;
}

/** An ordinary link (works without JavaScript, opens in a new tab) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}

export const paths = {
  report: `${BASE}/`,
  reportInAlley: (id: string) => `${BASE}/?alley=${encodeURIComponent(id)}`,
  trackLookup: `${BASE}/track`,
  track: (code: string) => `${BASE}/track/${encodeURIComponent(code)}`,
  login: (next?: string) => `${BASE}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  alley: (id: string) => `${BASE}/alley/${encodeURIComponent(id)}`,
  poster: (id: string) => `${BASE}/alley/${encodeURIComponent(id)}/poster`,
  patrol: `${BASE}/patrol`,
  points: `${BASE}/points`,
  proposals: `${BASE}/proposals`,
  certificate: `${BASE}/certificate`,
  parking: `${BASE}/parking`,
};
