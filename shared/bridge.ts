/**
 * Routes of the loopback dev bridge, which serves the contract to a browser
 * page (end-to-end tests, `npm run preview`). The packaged app never starts it.
 */
export const BRIDGE_ROUTES = {
  invoke: '/api/invoke/',
  events: '/api/events',
  thumbnail: '/api/thumbnail/',
  result: '/api/result/',
} as const;

/** The header (or, for EventSource and <img>, the query parameter) carrying the token. */
export const BRIDGE_TOKEN_HEADER = 'x-restyle-token';
export const BRIDGE_TOKEN_PARAM = 'token';
