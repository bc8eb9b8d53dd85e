// The package's API over the WebAssembly core (dist/netless_token_js.js, made by wasm-bindgen
// from js/src/lib.rs). This file only translates: it checks argument types (a `TypeError`
// naming the argument), gives each call its JavaScript shape, and turns what the core throws
// into the package's error classes. Every token decision is the Rust library's.
//
// The entry files (node.js, node-cjs.js, deno.js, workerd.js, edge.js, browser.js) load the
// WebAssembly module the way their runtime allows, then re-export this file.

import * as core from "../dist/netless_token_js.js";
import { fromCore, KeyPairError, MintError, typeError } from "./errors.js";

// The error classes; not errors.js's helpers (fromCore, typeError), which are this file's own.
export {
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
} from "./errors.js";

/** The roles, as the official package spells them: the digit a token carries. */
export const TokenRole = Object.freeze({ Admin: "0", Writer: "1", Reader: "2" });

/** The prefixes of the three kinds of token, as the official package spells them. */
export const TokenPrefix = Object.freeze({
  SDK: "NETLESSSDK_",
  ROOM: "NETLESSROOM_",
  TASK: "NETLESSTASK_",
});

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

// ---- the output buffer: a minted token, read from WebAssembly memory ----

// Node and Bun decode a short ASCII text faster through a Buffer than through TextDecoder.
const NodeBuffer = typeof globalThis.Buffer === "function" ? globalThis.Buffer : undefined;
const decoder = new TextDecoder();
let memory;
let outputAt;
let view;

/** A view of WebAssembly memory, made anew when the memory grew (which detaches the old). */
function memoryView() {
  if (view === undefined || view.byteLength === 0) {
    memory ??= core.wasmMemory();
    outputAt ??= core.outputPtr();
    view = NodeBuffer ? NodeBuffer.from(memory.buffer) : new Uint8Array(memory.buffer);
  }
  return view;
}

/** The token of a mint that returned its `length`; a mint that returned 0 failed. */
function minted(length) {
  if (length === 0) throw fromCore(core.takeFailure());
  const bytes = memoryView();
  const end = outputAt + length;
  if (NodeBuffer === undefined) return decoder.decode(bytes.subarray(outputAt, end));
  // A token is ASCII. Node's own method behind toString("latin1", start, end), without its
  // argument checks, where there is one.
  return bytes.latin1Slice ? bytes.latin1Slice(outputAt, end) : bytes.toString("latin1", outputAt, end);
}

/**
 * The pieces of text of a call that returned `count` (0: it failed): the core wrote them one
 * after the other into its output buffer, and their lengths (the text's in bytes, then each
 * piece's in UTF-16 code units) at `piecesPtr()`.
 */
function pieces(count) {
  if (count === 0) throw fromCore(core.takeFailure());
  const bytes = memoryView();
  const lengths = new Uint32Array(memory.buffer, core.piecesPtr(), count);
  const end = outputAt + lengths[0];
  const text = NodeBuffer ? bytes.toString("utf8", outputAt, end) : decoder.decode(bytes.subarray(outputAt, end));
  const out = [];
  for (let i = 1, at = 0; i < count; at += lengths[i], i++) out.push(text.slice(at, at + lengths[i]));
  return out;
}

/** A decode's or a verify's fields, from their pieces (js/src/lib.rs, `fields_to_output`). */
function decoded(count) {
  const [kind, ak, nonce, role, expireAt, uuid, sig, ...extra] = pieces(count);
  return {
    kind,
    ak,
    nonce,
    role,
    expireAt: expireAt === "" ? undefined : Number(expireAt),
    uuid: uuid === "" ? undefined : uuid,
    sig,
    extra,
  };
}

// ---- kinds and roles: each word parsed once, by the core, then passed as its code ----

const kindCodes = new Map();
const roleCodes = new Map();

function kindCode(kind) {
  let code = kindCodes.get(kind);
  if (code === undefined) {
    code = call(() => core.kindCode(kind));
    kindCodes.set(kind, code);
  }
  return code;
}

function roleCode(tokenRole) {
  let code = roleCodes.get(tokenRole);
  if (code === undefined) {
    code = call(() => core.roleCode(tokenRole));
    roleCodes.set(tokenRole, code);
  }
  return code;
}
const DISPOSE = Symbol.dispose ?? Symbol.for("Symbol.dispose");

// ---- arguments ----

function text(argument, value) {
  if (typeof value !== "string") throw typeError(argument, "a string", value);
  return value;
}

/**
 * `value`, refused with `Class` when it holds a lone surrogate: it has no UTF-8, and the
 * official package throws on it (encodeURIComponent), so no token can carry it.
 */
function wellFormed(argument, value, Class) {
  if (value !== undefined && !value.isWellFormed()) {
    throw new Class(`${argument}: must be well-formed Unicode (it holds a lone surrogate)`, argument);
  }
  return value;
}

function optionalText(argument, value) {
  return value === undefined ? undefined : text(argument, value);
}

function millis(argument, value) {
  if (typeof value !== "number") throw typeError(argument, "a number of milliseconds", value);
  return value;
}

function optionalMillis(argument, value) {
  return value === undefined ? undefined : millis(argument, value);
}

/** A role: a word, a digit, or a `TokenRole` value; never a bare number. */
function role(value) {
  if (typeof value === "string") return value;
  const hint = typeof value === "number" ? " (use TokenRole, or the words admin, writer, reader)" : "";
  const error = typeError("role", "a string", value);
  error.message += hint;
  throw error;
}

/** The secret key as the core takes it: `[text, undefined]` or `[undefined, bytes]`. */
function secret(argument, value) {
  if (typeof value === "string") return [wellFormed(argument, value, KeyPairError), undefined];
  if (value instanceof Uint8Array) return [undefined, value];
  throw typeError(argument, "a string or a Uint8Array", value);
}

/** Extra fields, from a plain object or a Map of strings, as `[name, value, ...]`. */
function extraFields(value) {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object") {
    throw typeError("extra", "an object or a Map of strings", value);
  }
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  const flat = [];
  for (const [name, field] of entries) {
    text("extra name", name);
    text(`extra.${name}`, field);
    flat.push(wellFormed("extra name", name, MintError), wellFormed(`extra.${name}`, field, MintError));
  }
  return flat;
}

function options(argument, value) {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object") throw typeError(argument, "an object", value);
  return value;
}

function call(fn) {
  try {
    return fn();
  } catch (thrown) {
    throw fromCore(thrown);
  }
}

// ---- decoded and verified tokens ----

const VERIFIED = Symbol("verified");

/**
 * A well-formed token's fields, not trusted: what `decode` returns. Frozen. `role` is a
 * `TokenRole` value, `expireAt` a number of ms or `undefined`, `extra` the fields the format
 * does not define, name to value.
 */
export class DecodedToken {
  constructor(fields) {
    const extra = {};
    for (let i = 0; i < fields.extra.length; i += 2) extra[fields.extra[i]] = fields.extra[i + 1];
    this.kind = fields.kind;
    this.ak = fields.ak;
    this.nonce = fields.nonce;
    this.role = fields.role;
    this.expireAt = fields.expireAt;
    this.uuid = fields.uuid;
    this.sig = fields.sig;
    this.extra = Object.freeze(extra);
    if (new.target === DecodedToken) Object.freeze(this);
  }

  /** Shows 8 hex digits of the signature only, so that logging a token logs no credential. */
  [INSPECT]() {
    const { kind, ak, nonce, role, expireAt, uuid } = this;
    const shown = { kind, ak, nonce, role, expireAt, uuid, sig: `${this.sig.slice(0, 8)}…` };
    if (Object.keys(this.extra).length) shown.extra = this.extra;
    return `${this.constructor.name} ${JSON.stringify(shown)}`;
  }

  toJSON() {
    return { ...this, sig: `${this.sig.slice(0, 8)}…` };
  }
}

/**
 * A token whose signature was checked with a secret key and that passed the policy: only
 * `verify`, `KeyPair.verify` and `Keyring.verify` make one (`new VerifiedToken()` throws), so
 * code that must only see authentic tokens can require `instanceof VerifiedToken`.
 */
export class VerifiedToken extends DecodedToken {
  constructor(fields, key) {
    if (key !== VERIFIED) throw new TypeError("VerifiedToken: only verify() makes one");
    super(fields);
    Object.freeze(this);
  }
}

const verified = (fields) => new VerifiedToken(fields, VERIFIED);

// ---- the drop-in for the official package ----

function official(kind) {
  return (accessKey, secretAccessKey, lifespan, content) => {
    wellFormed("accessKey", text("accessKey", accessKey), KeyPairError);
    const [skText, skBytes] = secret("secretAccessKey", secretAccessKey);
    millis("lifespan", lifespan);
    const { role: tokenRole, uuid, ...extra } = options("content", content);
    wellFormed("uuid", optionalText("uuid", uuid), MintError);
    if (tokenRole === undefined) {
      // The official package would mint a token without a role.
      throw new MintError("role: missing; give one of TokenRole's values", "role");
    }
    role(tokenRole);
    optionalText("uuid", uuid);
    if (skText !== undefined && Object.keys(extra).length === 0) {
      const kindAt = kindCode(kind);
      const roleAt = roleCode(tokenRole);
      return minted(core.officialToken(kindAt, accessKey, skText, lifespan, roleAt, uuid));
    }
    // Secret bytes, or more fields in `content` (the official package signs and carries every
    // field of it): the general path.
    return mint(kind, accessKey, secretAccessKey, tokenRole, lifespan, uuid, { extra });
  };
}

/** Mints an SDK token now with a random nonce: the official `sdkToken`. */
export const sdkToken = official("sdk");
/** Mints a Room token for `content.uuid` now with a random nonce: the official `roomToken`. */
export const roomToken = official("room");
/** Mints a Task token for `content.uuid` now with a random nonce: the official `taskToken`. */
export const taskToken = official("task");

// ---- the core ----

/**
 * Mints one token. `kind` is "sdk", "room" or "task"; `role` a word, a digit or a `TokenRole`;
 * `lifespan` in ms (0: never expires); `uuid` for Room and Task tokens. Issued now with a
 * random nonce unless `issuedAt` (ms) or `nonce` is given; `extra` adds signed fields.
 */
export function mint(kind, ak, sk, tokenRole, lifespan, uuid, mintOptions) {
  const pair = new KeyPair(ak, sk);
  try {
    return pair.mint(kind, tokenRole, lifespan, uuid, mintOptions);
  } finally {
    pair.free();
  }
}

/** Decodes a token without any secret: its fields, checked for form, not trusted. */
export function decode(token) {
  text("token", token);
  return new DecodedToken(decoded(core.decode(token)));
}

/** The findings of a token, read without its secret: `{ severity, code, message }` each. */
export function audit(token, auditOptions) {
  text("token", token);
  const { now, maxLifetime } = options("options", auditOptions);
  const flat = pieces(core.audit(token, optionalMillis("now", now), optionalMillis("maxLifetime", maxLifetime)));
  const findings = [];
  for (let i = 0; i < flat.length; i += 3) {
    findings.push(Object.freeze({ severity: flat[i], code: flat[i + 1], message: flat[i + 2] }));
  }
  return findings;
}

/** The policy of a `verify` call's options, and a function to release it. */
let defaultPolicy;
function policy(verifyOptions) {
  const { kind, leeway, now, maxLifetime } = verifyOptions;
  if (kind === undefined && leeway === undefined && now === undefined && maxLifetime === undefined) {
    defaultPolicy ??= new core.Policy();
    return [defaultPolicy, () => {}];
  }
  const made = call(
    () =>
      new core.Policy(
        optionalText("kind", kind),
        optionalMillis("leeway", leeway),
        optionalMillis("now", now),
        optionalMillis("maxLifetime", maxLifetime),
      ),
  );
  return [made, () => made.free()];
}

function withPolicy(verifyOptions, fn) {
  const [made, release] = policy(verifyOptions);
  try {
    return verified(decoded(fn(made)));
  } finally {
    release();
  }
}

/**
 * Verifies a token with the secret key `sk` (a string or a Uint8Array): the signature, compared
 * in constant time, then the policy: `ak` (the access key it must carry; default: whichever it
 * carries), `kind`, `leeway` (ms), `now` (ms; default the clock), `maxLifetime` (ms).
 */
export function verify(token, sk, verifyOptions) {
  text("token", token);
  const [skText, skBytes] = secret("sk", sk);
  const given = options("options", verifyOptions);
  const ak = wellFormed("ak", optionalText("ak", given.ak), KeyPairError);
  return withPolicy(given, (made) => core.verify(token, skText, skBytes, ak, made));
}

/** A `KeyPair` around a core key pair (a keyring's minter); the core key pair of a `KeyPair`. */
let wrapPair, innerOf;
const WRAP = Symbol("wrap");

/**
 * An access key and its secret key, the HMAC keyed once: mint and verify many tokens. The
 * secret is never shown (`toString`, `util.inspect`, JSON), and its keyed state is wiped when
 * the key pair is freed: `free()`, `using`, or the garbage collector.
 */
export class KeyPair {
  #inner;
  #ak;

  constructor(ak, sk) {
    if (ak === WRAP) {
      // A keyring's minter: `sk` is a core key pair already.
      this.#inner = sk;
      this.#ak = sk.accessKey;
      return;
    }
    wellFormed("ak", text("ak", ak), KeyPairError);
    const [skText, skBytes] = secret("sk", sk);
    this.#inner = call(() => new core.KeyPair(ak, skText, skBytes));
    this.#ak = ak;
  }

  static {
    wrapPair = (inner) => new KeyPair(WRAP, inner);
    innerOf = (pair) => pair.#live();
  }

  #live() {
    if (this.#inner === undefined) throw new TypeError("KeyPair: used after free()");
    return this.#inner;
  }

  /** The access key. */
  get accessKey() {
    return this.#ak;
  }

  /**
   * Mints one token: `kind`, `role`, `lifespan` (ms) and `uuid` as `mint` takes them; issued now
   * with a random nonce unless `options` fixes `issuedAt` (ms) or `nonce`; `extra` adds fields.
   */
  mint(kind, tokenRole, lifespan, uuid, mintOptions) {
    text("kind", kind);
    role(tokenRole);
    millis("lifespan", lifespan);
    wellFormed("uuid", optionalText("uuid", uuid), MintError);
    const inner = this.#live();
    const kindAt = kindCode(kind);
    const roleAt = roleCode(tokenRole);
    if (mintOptions === undefined) {
      return minted(inner.mint(kindAt, roleAt, lifespan, uuid));
    }
    const { issuedAt, nonce, extra } = options("options", mintOptions);
    const at = optionalMillis("issuedAt", issuedAt);
    const fixed = wellFormed("nonce", optionalText("nonce", nonce), MintError);
    const fields = extraFields(extra);
    const made = call(() => new core.MintOptions(at, fixed, fields));
    return minted(inner.mint(kindAt, roleAt, lifespan, uuid, made));
  }

  /** Verifies a token minted with this key pair, then the policy of `options`. */
  verify(token, verifyOptions) {
    text("token", token);
    const inner = this.#live();
    return withPolicy(options("options", verifyOptions), (made) => inner.verify(token, made));
  }

  /** Wipes the keyed state now; the key pair cannot be used after. */
  free() {
    this.#inner?.free();
    this.#inner = undefined;
  }

  [DISPOSE]() {
    this.free();
  }

  toString() {
    return `KeyPair { accessKey: ${JSON.stringify(this.#ak)}, sk: [REDACTED] }`;
  }

  toJSON() {
    return { accessKey: this.#ak, sk: "[REDACTED]" };
  }

  [INSPECT]() {
    return this.toString();
  }
}

/**
 * Several key pairs: several access keys, and several secrets of one access key while it
 * rotates. `verify` accepts a token that any secret of its access key signed.
 */
export class Keyring {
  #core = new core.Keyring();

  get #inner() {
    if (this.#core === undefined) throw new TypeError("Keyring: used after free()");
    return this.#core;
  }

  /** Adds a key pair (a copy of its keyed state), newest last. */
  insert(pair) {
    if (!(pair instanceof KeyPair)) throw typeError("pair", "a KeyPair", pair);
    this.#inner.insert(innerOf(pair));
    return this;
  }

  /** Removes the oldest secret of `ak`; whether there was one. */
  retireOldest(ak) {
    return this.#inner.retireOldest(text("ak", ak));
  }

  /** Removes every secret of `ak`; how many there were. */
  remove(ak) {
    return this.#inner.remove(text("ak", ak));
  }

  /** The newest key pair of `ak`, to mint with, or `undefined`. */
  minter(ak) {
    const inner = this.#inner.minter(text("ak", ak));
    return inner === undefined ? undefined : wrapPair(inner);
  }

  /** The number of access keys. */
  get size() {
    return this.#inner.size;
  }

  /** Whether the keyring holds `pair`: its access key with the same secret (constant time). */
  has(pair) {
    if (!(pair instanceof KeyPair)) throw typeError("pair", "a KeyPair", pair);
    return this.#inner.has(innerOf(pair));
  }

  /** Verifies a token against every secret of its access key, then the policy of `options`. */
  verify(token, verifyOptions) {
    text("token", token);
    const inner = this.#inner;
    return withPolicy(options("options", verifyOptions), (made) => inner.verify(token, made));
  }

  /** Wipes every held secret now; the keyring cannot be used after. */
  free() {
    this.#core?.free();
    this.#core = undefined;
  }

  [DISPOSE]() {
    this.free();
  }

  toString() {
    return this.#core === undefined ? "Keyring { freed }" : `Keyring { size: ${this.size} }`;
  }

  [INSPECT]() {
    return this.toString();
  }
}
