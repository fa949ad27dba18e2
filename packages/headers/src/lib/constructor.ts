/**
 * Wires `fn` as the constructor of `proto` the way Node's http classes are
 * wired: `fn.prototype` is `proto`, `proto.constructor` is `fn` (writable,
 * configurable, not enumerable), and `fn` inherits `parent`'s static members.
 *
 * The layers build their public classes as plain functions over a class that
 * holds the methods, so that old-style subclasses can call them
 * (`ServerResponse.call(this, req)` with `util.inherits`), as with Node's.
 *
 * @example
 * class ResponseMethods extends Base { end() {} }
 * const Response = function Response(this: ResponseMethods) { Base.call(this); };
 * defineConstructor(Response, ResponseMethods.prototype, Base);
 */
export function defineConstructor(fn: Function, proto: object, parent: Function): void {
  fn.prototype = proto;
  Object.defineProperty(proto, 'constructor', {
    value: fn,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.setPrototypeOf(fn, parent);
}
