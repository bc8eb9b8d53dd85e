// Chromium (Debian's, headless, driven by playwright-core), two pages served over HTTP from this
// machine, each importing the package by its name (its `browser` export, lib/browser.js): one
// without a bundler, through an import map; one bundled by `vite build`, where the module is an
// asset of the build. Each awaits `ready` (the module fetched and compiled asynchronously), then
// runs the suite.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { build } from "vite";
import { HERE, PACKAGE, report, vectors } from "./harness.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// Without the background-networking flags Chromium calls out at start, which a closed network
// refuses.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };

/** The page: an import map from the package's name to its `browser` export, then the entry. */
async function page() {
  const { exports } = JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8"));
  const entry = exports["."].browser;
  assert.match(entry, /^\.\/lib\//);
  const importMap = { imports: { "netless-token-wasm": `/node_modules/netless-token-wasm/${entry.slice(2)}` } };
  return `<!doctype html><meta charset="utf-8"><title>netless-token-wasm</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module" src="/entries/browser.mjs"></script>`;
}

/**
 * Serves `html` at / and files under `roots` (URL prefix, folder), each file of a type a page
 * loads and outside any node_modules; 127.0.0.1 only.
 */
function serve(html, roots) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (path === "/" && html !== null) return response.writeHead(200, { "content-type": TYPES[".html"] }).end(html);
    const [prefix, root] = roots.find(([p]) => path.startsWith(p)) ?? [];
    const file = root === undefined ? "" : normalize(join(root, path === "/" ? "index.html" : path.slice(prefix.length)));
    if (!file.startsWith(root) || !TYPES[extname(file)] || file.slice(root.length).includes("node_modules")) {
      return response.writeHead(404).end();
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": TYPES[extname(file)] }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Opens the page `server` serves in `context`, runs the suite there, reports it under `t`. */
async function runPage(t, context, server) {
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  tab.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  try {
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => typeof globalThis.suite === "function", null, { timeout: 30_000 });
    const outcome = await tab.evaluate((v) => globalThis.suite(v), vectors());
    await report(t, outcome, { compileFromBytes: "allowed" });
    await t.test("no error on the page", () => assert.deepEqual(errors, []));
  } finally {
    await tab.close();
    server.close();
  }
}

test("Chromium runs the suite after awaiting ready", async (t) => {
  const profile = await mkdtemp(join(tmpdir(), "netless-chromium-"));
  const bundled = await mkdtemp(join(tmpdir(), "netless-vite-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    t.diagnostic(`Chromium ${context.browser()?.version() ?? ""}`.trim());
    await t.test("without a bundler: an import map to the package's browser export", async (t) => {
      const roots = [
        ["/node_modules/netless-token-wasm/", PACKAGE],
        ["/", HERE],
      ];
      await runPage(t, context, await serve(await page(), roots));
    });
    await t.test("bundled by `vite build`: the module an asset of the build", async (t) => {
      await build({
        root: join(HERE, "entries", "vite"),
        configFile: false,
        logLevel: "warn",
        build: { outDir: bundled, emptyOutDir: true },
      });
      const assets = await readdir(join(bundled, "assets"));
      assert.ok(assets.some((f) => f.endsWith(".wasm")), `the module among Vite's assets: ${assets.join(", ")}`);
      await runPage(t, context, await serve(null, [["/", bundled]]));
    });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await rm(bundled, { recursive: true, force: true });
  }
});
