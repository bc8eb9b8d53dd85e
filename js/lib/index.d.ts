// Types of netless-token-wasm: the API of lib/api.js, which every entry (Node, Deno, Bun,
// Workers, the Edge runtime, browsers) exports, and `ready`. The drop-in part (TokenRole,
// TokenPrefix, the *TokenTags types, sdkToken, roomToken, taskToken) is typed as the official
// netless-token package types it, so that code written for it compiles unchanged.

// ---- the drop-in for the official package ----

/**
 * The roles, as the official package spells them: the digit a token carries. Used as
 * `TokenRole.Admin` (a value) and `TokenRole` (the type of the three values), as the official
 * package's enum is.
 */
export declare const TokenRole: {
  /** `"0"`: creates rooms, mints tokens, does anything. */
  readonly Admin: "0";
  /** `"1"`: writes on the whiteboard. */
  readonly Writer: "1";
  /** `"2"`: reads only. */
  readonly Reader: "2";
};
/** One of the roles' digits: `"0"` (admin), `"1"` (writer), `"2"` (reader). */
export type TokenRole = (typeof TokenRole)[keyof typeof TokenRole];
/** Each role's own type, as the official enum's members are types: `TokenRole.Admin`. */
export declare namespace TokenRole {
  type Admin = "0";
  type Writer = "1";
  type Reader = "2";
}

/** The prefixes of the three kinds of token, as the official package spells them. */
export declare const TokenPrefix: {
  /** The prefix of an SDK token: `"NETLESSSDK_"`. */
  readonly SDK: "NETLESSSDK_";
  /** The prefix of a Room token: `"NETLESSROOM_"`. */
  readonly ROOM: "NETLESSROOM_";
  /** The prefix of a Task token: `"NETLESSTASK_"`. */
  readonly TASK: "NETLESSTASK_";
};
/** One of the three prefixes. */
export type TokenPrefix = (typeof TokenPrefix)[keyof typeof TokenPrefix];
/** Each prefix's own type, as the official enum's members are types: `TokenPrefix.SDK`. */
export declare namespace TokenPrefix {
  type SDK = "NETLESSSDK_";
  type ROOM = "NETLESSROOM_";
  type TASK = "NETLESSTASK_";
}

/**
 * What an SDK token carries besides its key and times. `role` may be left out in the official
 * package's types (it then mints a token without a role); `sdkToken` here refuses that with a
 * `MintError`, so the type requires it.
 */
export type SdkTokenTags = {
  /** The role the token grants. */
  readonly role: TokenRole;
};

/** What a Room token carries besides its key and times: the room and the role. */
export type RoomTokenTags = {
  /** The room's UUID. Required: `roomToken` refuses a Room token for no room (`MintError`). */
  readonly uuid: string;
  /** The role the token grants in the room. */
  readonly role: TokenRole;
};

/** What a Task token carries besides its key and times: the task and the role. */
export type TaskTokenTags = {
  /** The task's UUID. Required: `taskToken` refuses a Task token for no task (`MintError`). */
  readonly uuid: string;
  /** The role the token grants on the task. */
  readonly role: TokenRole;
};

/**
 * Mints an SDK token now with a random nonce: the official package's `sdkToken`, byte for byte
 * the token it would print for the same clock and nonce.
 * @param accessKey the access key (AK) of the project
 * @param secretAccessKey its secret key (SK); the token is signed with it (HMAC-SHA256)
 * @param lifespan how long the token is valid, in milliseconds; 0: it never expires
 * @param content the role
 * @returns the token, `NETLESSSDK_...`
 * @throws {MintError} a role or lifespan that the official package would turn into a broken or
 *   never-expiring token (no role, a negative or fractional lifespan); `KeyPairError` for an
 *   empty key
 * @throws {TypeError} an argument of the wrong type (a number as role, for instance)
 */
export declare const sdkToken: (accessKey: string, secretAccessKey: string, lifespan: number, content: SdkTokenTags) => string;

/**
 * Mints a Room token for `content.uuid` now with a random nonce: the official package's
 * `roomToken`.
 * @param accessKey the access key (AK) of the project
 * @param secretAccessKey its secret key (SK)
 * @param lifespan how long the token is valid, in milliseconds; 0: it never expires
 * @param content the room's UUID and the role
 * @returns the token, `NETLESSROOM_...`
 * @throws {MintError} no uuid, no role, a negative or fractional lifespan; `KeyPairError` for
 *   an empty key
 * @throws {TypeError} an argument of the wrong type
 */
export declare const roomToken: (accessKey: string, secretAccessKey: string, lifespan: number, content: RoomTokenTags) => string;

/**
 * Mints a Task token for `content.uuid` now with a random nonce: the official package's
 * `taskToken`.
 * @param accessKey the access key (AK) of the project
 * @param secretAccessKey its secret key (SK)
 * @param lifespan how long the token is valid, in milliseconds; 0: it never expires
 * @param content the task's UUID and the role
 * @returns the token, `NETLESSTASK_...`
 * @throws {MintError} no uuid, no role, a negative or fractional lifespan; `KeyPairError` for
 *   an empty key
 * @throws {TypeError} an argument of the wrong type
 */
export declare const taskToken: (accessKey: string, secretAccessKey: string, lifespan: number, content: TaskTokenTags) => string;

// ---- words ----

/** A kind of token. The functions also take these words in capitals ("SDK", "Room"). */
export type TokenKind = "sdk" | "room" | "task";

/**
 * A role: a `TokenRole` digit or its word. The functions also take the words in capitals; never
 * a bare number (a `TypeError`).
 */
export type Role = TokenRole | "admin" | "writer" | "reader";

/** A secret key: text, or its bytes. The package never keeps a copy of the caller's bytes. */
export type SecretKey = string | Uint8Array;

// ---- minting, decoding, verifying, auditing ----

/** What `mint` and `KeyPair.mint` may fix or add. */
export interface MintOptions {
  /** The issue time, in ms since the epoch (the token expires at `issuedAt + lifespan`); default: now. */
  readonly issuedAt?: number;
  /** The nonce; default: a random UUID v4. */
  readonly nonce?: string;
  /** Fields the format does not define, signed and carried, name to value. */
  readonly extra?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
}

/**
 * Mints one token.
 * @param kind "sdk", "room" or "task"
 * @param ak the access key
 * @param sk the secret key, as text or bytes
 * @param role a word ("admin", "writer", "reader") or a `TokenRole` digit
 * @param lifespan how long the token is valid, in ms; 0: it never expires
 * @param uuid the room's or task's UUID: required for Room and Task tokens, refused for SDK tokens
 * @param options a fixed issue time or nonce (issued now with a random nonce otherwise), extra fields
 * @returns the token
 * @throws {MintError} an input no valid token can carry (the `field` says which);
 *   `KeyPairError` for an empty key
 * @throws {TypeError} an argument of the wrong type
 */
export declare function mint(
  kind: TokenKind,
  ak: string,
  sk: SecretKey,
  role: Role,
  lifespan: number,
  uuid?: string,
  options?: MintOptions,
): string;

/**
 * A well-formed token's fields, read without its secret and not trusted: what `decode` returns.
 * Frozen. Printing it (`util.inspect`, JSON) shows 8 hex digits of the signature only.
 */
export declare class DecodedToken {
  /** Made by `decode` only. */
  protected constructor();
  /** The kind, from the prefix. */
  readonly kind: TokenKind;
  /** The access key the token names. */
  readonly ak: string;
  /** The nonce (a UUID v4 when minted by this package or the official one). */
  readonly nonce: string;
  /** The role's digit. */
  readonly role: TokenRole;
  /** When the token expires, in ms since the epoch; `undefined`: never. */
  readonly expireAt: number | undefined;
  /** The room's or task's UUID; `undefined` for an SDK token. */
  readonly uuid: string | undefined;
  /** The signature, 64 lowercase hex digits. */
  readonly sig: string;
  /** The fields the format does not define, name to value (frozen). */
  readonly extra: Readonly<Record<string, string>>;
  /** The fields, the signature cut to 8 hex digits and "…". */
  toJSON(): Omit<DecodedToken, "toJSON">;
}

/**
 * A token whose signature was checked with a secret key and that passed the policy. Only
 * `verify`, `KeyPair.verify` and `Keyring.verify` make one, so code that must see only
 * authentic tokens can require `instanceof VerifiedToken`.
 */
export declare class VerifiedToken extends DecodedToken {
  /** Made by the verify functions only; `new VerifiedToken()` throws a `TypeError`. */
  private constructor();
  /** Tells a verified token from a decoded one in the type system too. */
  private readonly verified: true;
}

/**
 * Decodes a token without any secret: its fields, checked for form only. Proves nothing about
 * who made it: use `verify` for that.
 * @param token the token
 * @returns its fields
 * @throws {DecodeError} not a well-formed token (the `field` says where: "prefix", "payload", ...)
 * @throws {TypeError} `token` is not a string
 */
export declare function decode(token: string): DecodedToken;

/** The policy a token must pass once its signature matches. */
export interface PolicyOptions {
  /** The kind the token must be; default: any. */
  readonly kind?: TokenKind;
  /** How long after `expireAt` a token is still accepted, in ms (clocks drift); default 0. */
  readonly leeway?: number;
  /** The time to judge expiry at, in ms since the epoch; default: the clock. */
  readonly now?: number;
  /**
   * The longest a token may stay valid from now, in ms: refuses longer-lived and never-expiring
   * tokens (`LifetimeError`); default: no limit.
   */
  readonly maxLifetime?: number;
}

/** The options of `verify`: the policy, and the access key the token must name. */
export interface VerifyOptions extends PolicyOptions {
  /** The access key the token must carry; default: whichever it carries. */
  readonly ak?: string;
}

/**
 * Verifies a token with a secret key: the signature (compared in constant time), then the
 * policy of `options`.
 * @param token the token
 * @param sk the secret key, as text or bytes
 * @param options the access key it must name, its kind, leeway, now, maxLifetime
 * @returns the verified token
 * @throws {VerifyError} the token is not accepted; its subclass says why: `MalformedTokenError`,
 *   `SignatureError`, `ExpiredError`, `LifetimeError`, `WrongKindError`,
 *   `UnknownAccessKeyError` (another `ak` than `options.ak`); `KeyPairError` for an empty key
 * @throws {TypeError} an argument of the wrong type
 */
export declare function verify(token: string, sk: SecretKey, options?: VerifyOptions): VerifiedToken;

/** How much a finding of `audit` matters. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** A finding's stable code; docs/audit.md describes each. */
export type FindingCode =
  | "sdk-never-expires"
  | "never-expires"
  | "long-lived"
  | "local-clock-expiry"
  | "expires-before-issue"
  | "admin-room-token"
  | "expired"
  | "malformed-token"
  | (string & {});

/** One finding of `audit`. Frozen. */
export interface Finding {
  readonly severity: Severity;
  /** Stable, for programs: `"sdk-never-expires"`, ... */
  readonly code: FindingCode;
  /** One line for a person. */
  readonly message: string;
}

/** The options of `audit`. */
export interface AuditOptions {
  /** The time to judge expiry at, in ms since the epoch; default: the clock. */
  readonly now?: number;
  /** Reports a token valid longer than this from now, in ms, as `long-lived`. */
  readonly maxLifetime?: number;
}

/**
 * What is risky about a token, read without its secret (a token that never expires, an admin
 * Room token, an expiry from a local clock, ...): the findings, most severe first.
 * @param token the token
 * @param options now, and the longest lifetime allowed
 * @returns the findings, none for a token without risk
 * @throws {DecodeError} not a well-formed token
 * @throws {TypeError} an argument of the wrong type
 */
export declare function audit(token: string, options?: AuditOptions): Finding[];

// ---- keys ----

/**
 * An access key and its secret key, the HMAC keyed once: mints and verifies many tokens faster
 * than the functions, which key it at each call. The secret is never shown (`toString`,
 * `util.inspect`, JSON), and its keyed state in WebAssembly memory is wiped when the key pair is
 * freed: `free()`, `Symbol.dispose` (`using`, where the runtime has it), or the garbage
 * collector.
 */
export declare class KeyPair {
  /**
   * @param ak the access key
   * @param sk the secret key, as text or bytes
   * @throws {KeyPairError} an empty access or secret key (`field` "ak" or "sk")
   * @throws {TypeError} an argument of the wrong type
   */
  constructor(ak: string, sk: SecretKey);
  /** The access key. */
  readonly accessKey: string;
  /**
   * Mints one token, as `mint` does with this key pair's keys.
   * @param kind "sdk", "room" or "task"
   * @param role a word or a `TokenRole` digit
   * @param lifespan how long the token is valid, in ms; 0: it never expires
   * @param uuid the room's or task's UUID (Room and Task tokens only)
   * @param options a fixed issue time or nonce, extra fields
   * @throws {MintError} an input no valid token can carry
   * @throws {TypeError} an argument of the wrong type, or a freed key pair
   */
  mint(kind: TokenKind, role: Role, lifespan: number, uuid?: string, options?: MintOptions): string;
  /**
   * Verifies a token signed with this key pair's secret, then the policy of `options`.
   * @throws {VerifyError} the token is not accepted (a subclass says why)
   * @throws {TypeError} an argument of the wrong type, or a freed key pair
   */
  verify(token: string, options?: PolicyOptions): VerifiedToken;
  /** Wipes the keyed state now; the key pair cannot be used after. */
  free(): void;
  /** `KeyPair { accessKey: "...", sk: [REDACTED] }`. */
  toString(): string;
  /** The access key, and "[REDACTED]" for the secret. */
  toJSON(): { accessKey: string; sk: "[REDACTED]" };
}

/**
 * Several key pairs: several access keys, and several secrets of one access key while it
 * rotates. `verify` accepts a token that any secret of its access key signed.
 */
export declare class Keyring {
  constructor();
  /** Adds a key pair (a copy of its keyed state), newest last; returns the keyring. */
  insert(pair: KeyPair): this;
  /** Removes the oldest secret of `ak`; whether there was one. */
  retireOldest(ak: string): boolean;
  /** Removes every secret of `ak`; how many there were. */
  remove(ak: string): number;
  /** The newest key pair of `ak`, to mint with, or `undefined`. */
  minter(ak: string): KeyPair | undefined;
  /** The number of access keys. */
  readonly size: number;
  /** Whether the keyring holds `pair`: its access key with the same secret (compared in constant time). */
  has(pair: KeyPair): boolean;
  /**
   * Verifies a token against every secret of its access key, then the policy of `options`.
   * @throws {UnknownAccessKeyError} no secret for the token's access key
   * @throws {VerifyError} the token is not accepted otherwise (a subclass says why)
   */
  verify(token: string, options?: PolicyOptions): VerifiedToken;
  /** Wipes every held secret now; the keyring cannot be used after. */
  free(): void;
  /** `Keyring { size: N }`. */
  toString(): string;
}

// ---- errors ----

/**
 * The base of every error the package throws for a bad token or argument value: `field` names
 * the token field or argument at fault, `message` is one line, "field: reason", and never holds
 * a secret. (An argument of the wrong type is a `TypeError` naming the argument instead.)
 */
export declare class TokenError extends Error {
  /**
   * @param message one line, "field: reason"
   * @param field the field or argument at fault
   * @param details what the class carries (times, kinds)
   */
  constructor(message: string, field: string, details?: object);
  /** The token field or argument at fault: "sig", "expireAt", "prefix", "role", ... */
  readonly field: string;
}

/** A token could not be minted; nothing was minted. */
export declare class MintError extends TokenError {}

/** A string is not a well-formed token. Says nothing about whether a token is authentic. */
export declare class DecodeError extends TokenError {}

/** A token is not accepted. Every failure of a verify function is one. */
export declare class VerifyError extends TokenError {}

/**
 * The access key or the secret key is empty (`field` "ak" or "sk"). Both a `MintError` and a
 * `VerifyError` (`instanceof` answers true for both).
 */
export declare class KeyPairError extends MintError {}

/** A verify function was given a malformed token: both a `VerifyError` and a `DecodeError`. */
export declare class MalformedTokenError extends VerifyError {}

/** The signature does not match: another secret key signed it, or the token was altered. */
export declare class SignatureError extends VerifyError {}

/** The token has expired. */
export declare class ExpiredError extends VerifyError {
  /** When it expired, in ms since the epoch. */
  readonly expireAt: number;
  /** The time it was judged at. */
  readonly now: number;
  /** The leeway allowed, in ms. */
  readonly leeway: number;
}

/** The token stays valid longer than `maxLifetime` after now, or never expires. */
export declare class LifetimeError extends VerifyError {
  /** When it expires, in ms since the epoch; `undefined`: never. */
  readonly expireAt: number | undefined;
  /** The time it was judged at. */
  readonly now: number;
  /** The longest lifetime allowed, in ms. */
  readonly maxLifetime: number;
}

/** The token is of another kind than required. */
export declare class WrongKindError extends VerifyError {
  /** The kind required. */
  readonly expected: TokenKind;
  /** The token's kind. */
  readonly found: TokenKind;
}

/** No secret key is known for the token's access key. */
export declare class UnknownAccessKeyError extends VerifyError {}

// ---- loading ----

/**
 * Resolves once the WebAssembly module is loaded. In browsers, await it once before the first
 * call (a call or `new KeyPair`/`new Keyring` before it throws an `Error` saying so); in Node, Deno, Bun, Workers and the Edge runtime it is already resolved (every call
 * works as soon as `import` returns).
 */
export declare const ready: Promise<void>;
