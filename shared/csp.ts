/**
 * The window's Content-Security-Policy. Strict in the app: only our own
 * scripts and styles, images from our own protocol, no eval, no frames, no
 * forms, no plugins. The Vite dev server needs inline scripts/styles and its
 * websocket for hot reload, and gets them in development only.
 */
export function contentSecurityPolicy(options: {
  dev: boolean;
  /** In a <meta> tag, where frame-ancestors is ignored. */ meta?: boolean;
}): string {
  const directives: Record<string, string> = {
    'default-src': "'none'",
    'script-src': options.dev ? "'self' 'unsafe-inline'" : "'self'",
    'style-src': options.dev ? "'self' 'unsafe-inline'" : "'self'",
    'img-src': "'self' data: blob: restyle:",
    'font-src': "'self'",
    'connect-src': options.dev ? "'self' ws://localhost:* ws://127.0.0.1:*" : "'self'",
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'none'",
    'object-src': "'none'",
  };
  if (options.meta) delete directives['frame-ancestors'];
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}
