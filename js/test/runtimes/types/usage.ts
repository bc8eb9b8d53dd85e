// Uses the whole API of netless-token-wasm as typed by lib/index.d.ts; types.test.mjs checks it
// with `tsc --noEmit` (it is never run). Each `@ts-expect-error` is a misuse the types must refuse:
// tsc fails if the line compiles.
import {
  audit,
  decode,
  DecodedToken,
  DecodeError,
  ExpiredError,
  type Finding,
  KeyPair,
  KeyPairError,
  Keyring,
  LifetimeError,
  MalformedTokenError,
  mint,
  MintError,
  type MintOptions,
  type PolicyOptions,
  ready,
  type Role,
  type RoomTokenTags,
  roomToken,
  type SdkTokenTags,
  sdkToken,
  SignatureError,
  type TaskTokenTags,
  taskToken,
  type TokenKind,
  TokenError,
  TokenPrefix,
  TokenRole,
  UnknownAccessKeyError,
  verify,
  VerifiedToken,
  VerifyError,
  type VerifyOptions,
  WrongKindError,
} from "netless-token-wasm";

await ready;

// The official README's example, its import changed only.
const netlessSDKToken: string = sdkToken("netless ak", "netless sk", 1000 * 60 * 10, { role: TokenRole.Admin });
const netlessRoomToken: string = roomToken("netless ak", "netless sk", 1000 * 60 * 10, { role: TokenRole.Reader, uuid: "房间的 UUID" });
const netlessTaskToken: string = taskToken("netless ak", "netless sk", 1000 * 60 * 10, { role: TokenRole.Writer, uuid: "任务的 UUID" });

// TokenRole and TokenPrefix as the official enums are used: values, and types.
const role: TokenRole = TokenRole.Admin;
const admin: TokenRole.Admin = TokenRole.Admin;
const prefix: TokenPrefix = TokenPrefix.ROOM;
const sdkPrefix: TokenPrefix.SDK = "NETLESSSDK_";
const sdkTags: SdkTokenTags = { role };
const roomTags: RoomTokenTags = { role: TokenRole.Writer, uuid: "r" };
const taskTags: TaskTokenTags = { role: TokenRole.Reader, uuid: "t" };
// @ts-expect-error: a role is one of the three digits
const badRole: TokenRole = "3";
// @ts-expect-error: a number is no role (the drop-in throws a TypeError)
sdkToken("ak", "sk", 0, { role: 0 });
// @ts-expect-error: a Room token needs its room (the drop-in throws a MintError)
roomToken("ak", "sk", 0, { role: TokenRole.Reader });
// @ts-expect-error: an SDK token needs a role (the drop-in throws a MintError)
sdkToken("ak", "sk", 0, {});

// mint, decode, verify, audit.
const options: MintOptions = { issuedAt: 1_700_000_000_000, nonce: "n", extra: { team: "blue" } };
const words: Role[] = ["admin", "writer", "reader", TokenRole.Reader];
const kind: TokenKind = "room";
const token: string = mint(kind, "ak", "sk", words[0], 60_000, "room-1", options);
mint("sdk", "ak", new TextEncoder().encode("sk"), "0", 0, undefined, { extra: new Map([["a", "b"]]) });
// @ts-expect-error: no such kind
mint("user", "ak", "sk", "admin", 0);

const decoded: DecodedToken = decode(token);
const fields: [TokenKind, string, string, TokenRole, number | undefined, string | undefined, string, Readonly<Record<string, string>>] = [
  decoded.kind,
  decoded.ak,
  decoded.nonce,
  decoded.role,
  decoded.expireAt,
  decoded.uuid,
  decoded.sig,
  decoded.extra,
];
// @ts-expect-error: decoded fields are read-only
decoded.role = TokenRole.Admin;
// @ts-expect-error: a decoded token is not a verified one
const notVerified: VerifiedToken = decoded;
// @ts-expect-error: only the verify functions make a verified token
new VerifiedToken();

const verifyOptions: VerifyOptions = { ak: "ak", kind: "room", leeway: 1000, now: Date.now(), maxLifetime: 3_600_000 };
const verified: VerifiedToken = verify(token, "sk", verifyOptions);
const alsoDecoded: DecodedToken = verified;
verify(token, new Uint8Array([115, 107]));

const findings: Finding[] = audit(netlessSDKToken, { now: Date.now(), maxLifetime: 86_400_000 });
for (const { severity, code, message } of findings) {
  const line: string = `${severity} ${code} ${message}`;
}
const critical: boolean = findings.some((f) => f.code === "sdk-never-expires" && f.severity === "critical");

// KeyPair and Keyring.
const pair = new KeyPair("ak", "sk");
const policy: PolicyOptions = { kind: "sdk", now: Date.now() };
const fromPair: VerifiedToken = pair.verify(pair.mint("sdk", "admin", 0, undefined, { nonce: "n" }), policy);
const accessKey: string = pair.accessKey;
const shown: string = `${pair.toString()} ${JSON.stringify(pair.toJSON())}`;
const keyring: Keyring = new Keyring().insert(pair).insert(new KeyPair("ak", "sk-2"));
const minter: KeyPair | undefined = keyring.minter("ak");
const counts: [number, boolean, number, boolean] = [keyring.size, keyring.has(pair), keyring.remove("other"), keyring.retireOldest("ak")];
const fromKeyring: VerifiedToken = keyring.verify(minter!.mint("room", "reader", 60_000, "r"));
keyring.free();
pair.free();

// The error classes, with what each carries.
try {
  verify(token, "sk");
} catch (e) {
  if (e instanceof ExpiredError) {
    const when: [number, number, number] = [e.expireAt, e.now, e.leeway];
  } else if (e instanceof LifetimeError) {
    const when: [number | undefined, number, number] = [e.expireAt, e.now, e.maxLifetime];
  } else if (e instanceof WrongKindError) {
    const kinds: [TokenKind, TokenKind] = [e.expected, e.found];
  } else if (e instanceof SignatureError || e instanceof UnknownAccessKeyError || e instanceof MalformedTokenError) {
    const field: string = e.field;
  } else if (e instanceof VerifyError || e instanceof DecodeError || e instanceof KeyPairError || e instanceof MintError) {
    const error: TokenError = e;
    const base: Error = error;
  }
}

export {
  netlessSDKToken, netlessRoomToken, netlessTaskToken, admin, prefix, sdkPrefix, sdkTags, roomTags, taskTags, badRole,
  fields, notVerified, verified, alsoDecoded, critical, fromPair, accessKey, shown, counts, fromKeyring,
};
