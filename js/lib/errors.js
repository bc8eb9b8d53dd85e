// The package's error classes. Every error the package throws for a bad token or a bad
// argument value is a `TokenError` (an `Error`) with `field`, the token field or argument at
// fault, and a one-line `message`, "field: reason", which is the library's and never holds a
// secret. An argument of the wrong type is a `TypeError` naming the argument instead.
//
//   TokenError
//   ├── MintError
//   │   └── KeyPairError            (also a VerifyError)
//   ├── DecodeError
//   └── VerifyError
//       ├── MalformedTokenError     (also a DecodeError)
//       ├── SignatureError
//       ├── ExpiredError            expireAt, now, leeway
//       ├── LifetimeError           expireAt (or undefined), now, maxLifetime
//       ├── WrongKindError          expected, found
//       └── UnknownAccessKeyError

/** The base of every error the package throws for a bad token or argument value. */
export class TokenError extends Error {
  /**
   * @param {string} message one line, "field: reason"
   * @param {string} field the field or argument at fault
   * @param {object} [details] what the class carries (times, kinds)
   */
  constructor(message, field, details) {
    super(message);
    this.name = new.target.name;
    this.field = field;
    if (details) Object.assign(this, details);
  }
}

/** A token could not be minted; nothing was minted. */
export class MintError extends TokenError {}

/** A string is not a well-formed token. Says nothing about whether a token is authentic. */
export class DecodeError extends TokenError {}

/** A token is not accepted. Every failure of `verify` is one. */
export class VerifyError extends TokenError {}

/**
 * The access key or the secret key is empty (`field` is "ak" or "sk"): thrown by
 * `new KeyPair()`, and by the calls that take a key, so it is both a `MintError` and a
 * `VerifyError`.
 */
export class KeyPairError extends MintError {}

/** `verify` was given a malformed token: both a `VerifyError` and a `DecodeError`. */
export class MalformedTokenError extends VerifyError {}

/** The signature does not match: another secret key signed it, or the token was altered. */
export class SignatureError extends VerifyError {}

/** The token has expired; `expireAt`, `now` and `leeway` (ms) say when. */
export class ExpiredError extends VerifyError {}

/** The token stays valid longer than `maxLifetime` after now, or never expires. */
export class LifetimeError extends VerifyError {}

/** The token is of another kind than required; `expected` and `found` are kinds. */
export class WrongKindError extends VerifyError {}

/** No secret key is known for the token's access key. */
export class UnknownAccessKeyError extends VerifyError {}

// The two classes that belong under two parents: `instanceof` answers for both.
const ownInstance = Function.prototype[Symbol.hasInstance];
Object.defineProperty(VerifyError, Symbol.hasInstance, {
  value(value) {
    return (
      ownInstance.call(this, value) ||
      (this === VerifyError && ownInstance.call(KeyPairError, value))
    );
  },
});
Object.defineProperty(DecodeError, Symbol.hasInstance, {
  value(value) {
    return (
      ownInstance.call(this, value) ||
      (this === DecodeError && ownInstance.call(MalformedTokenError, value))
    );
  },
});

const CLASSES = {
  TokenError,
  MintError,
  DecodeError,
  VerifyError,
  KeyPairError,
  MalformedTokenError,
  SignatureError,
  ExpiredError,
  LifetimeError,
  WrongKindError,
  UnknownAccessKeyError,
};

/**
 * The package's error for what the WebAssembly core threw: `[class, message, field, details?]`.
 * Anything else (a bug, which no input should cause) is rethrown as it is.
 */
export function fromCore(thrown) {
  if (Array.isArray(thrown) && typeof thrown[0] === "string" && thrown[0] in CLASSES) {
    const [name, message, field, details] = thrown;
    return new CLASSES[name](message, field, details);
  }
  return thrown;
}

/** A `TypeError` naming the argument, its expected type and the type it got, never its value. */
export function typeError(argument, expected, value) {
  const got = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return new TypeError(`${argument}: expected ${expected}, not ${got}`);
}
