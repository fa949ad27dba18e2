import { ClientRequest, type RequestOptions, type ResponseListener } from './client-request.js';

/**
 * `http.request(url[, options][, callback])` / `http.request(options[, callback])`:
 * a `ClientRequest`; call `end()` to send it.
 */
export function request(
  url: string | URL | RequestOptions,
  options?: RequestOptions | ResponseListener,
  cb?: ResponseListener,
): ClientRequest {
  return new ClientRequest(url, options, cb);
}

/** `http.get(...)`: `request()` with `end()` already called. */
export function get(
  url: string | URL | RequestOptions,
  options?: RequestOptions | ResponseListener,
  cb?: ResponseListener,
): ClientRequest {
  const req = new ClientRequest(url, options, cb);
  req.end();
  return req;
}
