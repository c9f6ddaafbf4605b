import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';

/**
 * The origin a map tile or style URL loads from, as a CSP source: a `{s}` subdomain placeholder becomes
 * a wildcard (`https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`). Null when
 * the URL cannot be read.
 */
export function cspOrigin(template: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(template.trim());
  if (!m) return null;
  const host = m[2]!.replace(/\{[a-z]+\}/gi, '*').toLowerCase();
  // Only host characters, a port and the wildcard: anything else could break out of the directive.
  if (!/^[a-z0-9*.-]+(:\d+)?$/.test(host)) return null;
  return `${m[1]!.toLowerCase()}://${host}`;
}

/**
 * The Content-Security-Policy the console and the resident page run under. Scripts come only from this
 * origin (the built bundles, no inline script); styles may be inline because Ant Design writes its CSS
 * at run time and MapLibre positions its elements with style attributes; map workers start from blob
 * URLs; photos are previewed from blob URLs before upload. A configured tile server, or a style's
 * origin, is added to the images and connections the page may load; a MapLibre style names further
 * hosts of its own (tiles, glyphs, sprites), so with a style any https host may be loaded.
 */
export function contentSecurityPolicy(map: Config['map']): string {
  const external = [map.tilesUrl, map.styleUrl]
    .filter((u): u is string => !!u)
    .map(cspOrigin)
    .filter((o): o is string => !!o);
  const remote = [...new Set(external), ...(map.styleUrl ? ['https:'] : [])];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...remote]],
    ['connect-src', ["'self'", ...remote]],
    ['worker-src', ["'self'", 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * Headers on every answer: the CSP above, no framing by other sites, no MIME sniffing, no full URL in
 * the Referer sent elsewhere, and HSTS when the session cookie is marked Secure (the site is then
 * served over HTTPS).
 */
export function securityHeaders(config: Pick<Config, 'map' | 'cookieSecure'>): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(config.map),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cross-origin-opener-policy': 'same-origin',
    ...(config.cookieSecure ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

export function installSecurityHeaders(app: FastifyInstance, config: Config): void {
  const headers = securityHeaders(config);
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(headers)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
  });
}
