/**
 * The one error type the client throws or reports. `code` is one of the protocol's error codes
 * (`bad_request`, `too_large`, `forbidden`, `not_joined`, …) so that a UI handles a refusal the same way
 * whether the client caught it before sending or the server answered it.
 */
export class ParleyError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    if (details.room !== undefined) this.room = details.room;
    if (details.ref !== undefined) this.ref = details.ref;
  }
}
