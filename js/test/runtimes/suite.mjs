// The test body every runtime runs (Node, Deno, Bun, workerd, the Edge runtime, Chromium): plain
// JavaScript that imports nothing, so that it loads anywhere. Each runtime's entry (entries/)
// imports the package by its name, calls `atImport` at once, before any `await`, then `run` with
// a few lines of tests/data/official-js.jsonl that the Node side sends it; `run` returns each
// case's name and failure (or null), and what the runtime allowed, as JSON-ready data for the
// Node side (harness.mjs) to report.

/** The inputs of official-js.jsonl's line 1, a permanent admin SDK token (the README's). */
const LINE_1 = {
  kind: "sdk",
  ak: "BUxxxxxxrc",
  sk: "CxxxxxxxauY3",
  role: "0",
  lifespan: 0,
  now: 1_700_000_000_000,
  nonce: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
};
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What a thrown value says of itself, as data. */
function described(thrown) {
  if (thrown === null || typeof thrown !== "object") return { name: typeof thrown, message: String(thrown) };
  return { name: thrown.name, field: thrown.field, message: String(thrown.message) };
}

/**
 * Called by an entry right after `import`, before any `await`: the package must work with no
 * `ready` awaited. A mint of fixed inputs (no clock, no randomness), and the drop-in `sdkToken`,
 * which reads the clock and draws a nonce (Workers allow neither at start-up).
 */
export function atImport(nt) {
  const out = {};
  try {
    out.fixedMint = nt.mint(LINE_1.kind, LINE_1.ak, LINE_1.sk, LINE_1.role, LINE_1.lifespan, undefined, {
      issuedAt: LINE_1.now,
      nonce: LINE_1.nonce,
    });
  } catch (thrown) {
    out.fixedMint = described(thrown);
  }
  try {
    out.sdkToken = typeof nt.sdkToken("ak", "sk", 60_000, { role: nt.TokenRole.Admin });
  } catch (thrown) {
    out.sdkToken = described(thrown);
  }
  return out;
}

// ---- assertions that need no node:assert ----

class Failure extends Error {}

function show(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function eq(actual, expected, what) {
  if (!Object.is(actual, expected)) throw new Failure(`${what}: ${show(actual)}, expected ${show(expected)}`);
}

function ok(condition, what) {
  if (!condition) throw new Failure(what);
}

/** `call` throws an instance of each class of `classes` (the first named), with `field`. */
function refuses(call, classes, field, what) {
  try {
    call();
  } catch (thrown) {
    for (const cls of classes) ok(thrown instanceof cls, `${what}: ${described(thrown).name} is not a ${cls.name}`);
    eq(thrown.name, classes[0].name, `${what}: name`);
    eq(thrown.field, field, `${what}: field`);
    ok(typeof thrown.message === "string" && thrown.message.startsWith(`${field}: `), `${what}: message ${show(thrown.message)}`);
    return thrown;
  }
  throw new Failure(`${what}: nothing thrown`);
}

// ---- the cases ----

function cases(nt, vectors, first) {
  const at = (v) => `official-js.jsonl:${v.line}`;
  const line1 = vectors.find((v) => v.line === 1);
  const list = [];
  const test = (name, fn) => list.push([name, fn]);

  // The browser entry awaits `ready` instead, and says what a call before it threw.
  if (first?.beforeReady !== undefined) {
    test("before ready, a call and a construction say to await ready", () => {
      eq(first.beforeReady.length, 2, "two tries");
      for (const [i, what] of ["decode", "new KeyPair"].entries()) {
        const thrown = first.beforeReady[i];
        ok(thrown !== null, `${what} before ready: nothing thrown`);
        eq(thrown.name, "Error", `${what}: name`);
        eq(
          thrown.message,
          `netless-token-wasm: ${what} was called before the WebAssembly module loaded; in a browser, await ready once before the first call`,
          `${what}: message`,
        );
      }
    });
  } else if (first !== null) {
    test("usable at import with no await: a fixed mint equals the official token", () => {
      ok(line1 !== undefined, "line 1 is among the vectors");
      for (const [name, value] of Object.entries(LINE_1)) eq(line1[name], value, `line 1's ${name}`);
      eq(first.fixedMint, line1.token, "mint at import");
    });
  }

  test("mint: the official tokens byte for byte (fixed issuedAt and nonce), also by a KeyPair", () => {
    ok(vectors.length >= 3, `${vectors.length} vectors`);
    for (const v of vectors) {
      const options = { issuedAt: v.now, nonce: v.nonce };
      eq(nt.mint(v.kind, v.ak, v.sk, v.role, v.lifespan, v.uuid, options), v.token, `${at(v)} mint`);
      const pair = new nt.KeyPair(v.ak, v.sk);
      try {
        eq(pair.mint(v.kind, v.role, v.lifespan, v.uuid, options), v.token, `${at(v)} KeyPair.mint`);
      } finally {
        pair.free();
      }
      const bytes = new TextEncoder().encode(v.sk);
      eq(nt.mint(v.kind, v.ak, bytes, v.role, v.lifespan, v.uuid, options), v.token, `${at(v)} mint, the secret as bytes`);
    }
  });

  test("decode: the official tokens' fields are their inputs", () => {
    for (const v of vectors) {
      const d = nt.decode(v.token);
      ok(d instanceof nt.DecodedToken && !(d instanceof nt.VerifiedToken), `${at(v)}: a DecodedToken, not verified`);
      eq(d.kind, v.kind, `${at(v)} kind`);
      eq(d.ak, v.ak, `${at(v)} ak`);
      eq(d.nonce, v.nonce, `${at(v)} nonce`);
      eq(d.role, v.role, `${at(v)} role`);
      eq(d.uuid, v.uuid ?? undefined, `${at(v)} uuid`);
      eq(d.expireAt, v.lifespan ? v.now + v.lifespan : undefined, `${at(v)} expireAt`);
      ok(/^[0-9a-f]{64}$/.test(d.sig), `${at(v)} sig is 64 hex digits`);
      ok(Object.isFrozen(d), `${at(v)} frozen`);
    }
  });

  test("verify: the official tokens, with their secret, at their issue time", () => {
    for (const v of vectors) {
      const verified = nt.verify(v.token, v.sk, { kind: v.kind, now: v.now });
      ok(verified instanceof nt.VerifiedToken, `${at(v)}: a VerifiedToken`);
      eq(verified.sig, nt.decode(v.token).sig, `${at(v)} sig`);
    }
  });

  test("drop-in: roomToken, sdkToken and taskToken mint now, and verify accepts them", () => {
    const before = Date.now();
    const room = nt.roomToken("netless ak", "netless sk", 600_000, { role: nt.TokenRole.Reader, uuid: "房间的 UUID" });
    const after = Date.now();
    eq(typeof room, "string", "roomToken returns");
    ok(room.startsWith(nt.TokenPrefix.ROOM), "a Room token's prefix");
    const verified = nt.verify(room, "netless sk", { ak: "netless ak", kind: "room", maxLifetime: 600_000 });
    eq(verified.kind, "room", "kind");
    eq(verified.role, nt.TokenRole.Reader, "role");
    eq(verified.uuid, "房间的 UUID", "uuid");
    ok(verified.expireAt >= before + 600_000 && verified.expireAt <= after + 600_000, `expireAt ${verified.expireAt} is now + 10 min`);
    ok(UUID_V4.test(verified.nonce), `nonce ${verified.nonce} is a random UUID v4`);
    eq(nt.decode(nt.roomToken("ak", "sk", 1000, { role: "1", uuid: "r" })).nonce === verified.nonce, false, "two nonces equal");
    const sdk = nt.sdkToken("ak", "sk", 0, { role: nt.TokenRole.Admin });
    eq(nt.verify(sdk, "sk", { kind: "sdk" }).expireAt, undefined, "a lifespan of 0 never expires");
    const task = nt.taskToken("ak", "sk", 60_000, { role: nt.TokenRole.Writer, uuid: "t" });
    eq(nt.verify(task, "sk", { kind: "task" }).uuid, "t", "task uuid");
  });

  test("KeyPair and Keyring: mint and verify, the secret never shown", () => {
    const pair = new nt.KeyPair("ak-1", "sk-1");
    const token = pair.mint("room", "writer", 60_000, "room-1");
    eq(pair.verify(token, { kind: "room" }).role, nt.TokenRole.Writer, "KeyPair.verify role");
    eq(pair.accessKey, "ak-1", "accessKey");
    ok(!String(pair).includes("sk-1") && !JSON.stringify(pair).includes("sk-1"), "the secret in String() or JSON");
    const keyring = new nt.Keyring().insert(pair).insert(new nt.KeyPair("ak-2", "sk-2"));
    eq(keyring.size, 2, "keyring size");
    eq(keyring.verify(token).ak, "ak-1", "Keyring.verify");
    refuses(() => keyring.verify(nt.mint("sdk", "ak-3", "sk-3", "0", 0)), [nt.UnknownAccessKeyError, nt.VerifyError], "ak", "unknown ak");
    keyring.free();
    pair.free();
    ok(/after free/.test((() => { try { pair.mint("sdk", "0", 0); } catch (e) { return e.message; } })()), "a freed KeyPair refuses");
  });

  test("refusals: each error class with its field", () => {
    const token = line1.token;
    const wrong = refuses(() => nt.verify(token, "wrong"), [nt.SignatureError, nt.VerifyError, nt.TokenError, Error], "sig", "a wrong secret");
    ok(!wrong.message.includes("wrong"), "the secret in the message");
    refuses(() => nt.decode("x"), [nt.DecodeError, nt.TokenError], "prefix", 'decode("x")');
    const malformed = refuses(() => nt.verify("NETLESSROOM_", "sk"), [nt.MalformedTokenError, nt.VerifyError, nt.DecodeError], "payload", "verify of a malformed token");
    ok(!(malformed instanceof nt.SignatureError), "a malformed token is no SignatureError");
    const expiring = nt.mint("room", "ak", "sk", "reader", 1000, "r", { issuedAt: LINE_1.now });
    const expired = refuses(() => nt.verify(expiring, "sk", { now: LINE_1.now + 1000 }), [nt.ExpiredError, nt.VerifyError], "expireAt", "an expired token");
    eq(expired.expireAt, LINE_1.now + 1000, "ExpiredError.expireAt");
    refuses(() => nt.verify(expiring, "sk", { now: LINE_1.now, kind: "task" }), [nt.WrongKindError], "kind", "another kind");
    refuses(() => nt.verify(token, line1.sk, { maxLifetime: 60_000 }), [nt.LifetimeError], "expireAt", "a permanent token under maxLifetime");
    refuses(() => nt.sdkToken("ak", "sk", 0, {}), [nt.MintError], "role", "sdkToken without a role");
    refuses(() => nt.roomToken("ak", "sk", 0, { role: "1" }), [nt.MintError], "uuid", "roomToken without a uuid");
    refuses(() => new nt.KeyPair("", "sk"), [nt.KeyPairError, nt.MintError, nt.VerifyError], "ak", "an empty access key");
    try {
      nt.sdkToken("ak", "sk", 0, { role: 0 });
      throw new Failure("a number as role: nothing thrown");
    } catch (thrown) {
      ok(thrown instanceof TypeError && /^role: /.test(thrown.message), `a number as role: ${described(thrown).message}`);
    }
  });

  test("audit: a permanent admin SDK token is sdk-never-expires", () => {
    const findings = nt.audit(line1.token);
    eq(findings.length, 1, "findings");
    eq(findings[0].code, "sdk-never-expires", "code");
    eq(findings[0].severity, "critical", "severity");
    eq(nt.audit(nt.sdkToken("ak", "sk", 60_000, { role: nt.TokenRole.Reader })).length, 0, "a reader's 1-minute SDK token's findings");
  });

  test("TokenRole and TokenPrefix hold the official values", () => {
    eq(JSON.stringify(nt.TokenRole), '{"Admin":"0","Writer":"1","Reader":"2"}', "TokenRole");
    eq(JSON.stringify(nt.TokenPrefix), '{"SDK":"NETLESSSDK_","ROOM":"NETLESSROOM_","TASK":"NETLESSTASK_"}', "TokenPrefix");
    ok(Object.isFrozen(nt.TokenRole) && Object.isFrozen(nt.TokenPrefix), "frozen");
    ok(nt.ready instanceof Promise, "ready is a Promise");
  });

  return list;
}

/** What the runtime refuses, read from it, not assumed: compiling WebAssembly from bytes. */
function compileFromBytes() {
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return "allowed";
  } catch (thrown) {
    return `refused: ${described(thrown).name}: ${described(thrown).message}`;
  }
}

/**
 * Runs every case: `{ results: [{ name, failure }], facts }`, `failure` null for a pass or a
 * message with the stack; `facts` says what the runtime allowed (`atImport`'s outcome, compiling
 * WebAssembly from bytes). `first` is `atImport`'s result, or, where `ready` was awaited (the
 * browser), `{ beforeReady }`: what calls made before it threw.
 */
export async function run(nt, vectors, first) {
  const results = [];
  for (const [name, fn] of cases(nt, vectors, first)) {
    try {
      await fn();
      results.push({ name, failure: null });
    } catch (thrown) {
      const text = thrown instanceof Failure ? thrown.message : `${described(thrown).name}: ${described(thrown).message}\n${thrown?.stack ?? ""}`;
      results.push({ name, failure: text });
    }
  }
  return { results, facts: { atImport: first, compileFromBytes: compileFromBytes() } };
}
