// The data files the Rust and Python tests read too (tests/data/ at the repository's top).
import { readFileSync } from "node:fs";

const DATA = new URL("../../tests/data/", import.meta.url);

/** The lines of a JSON-lines file of tests/data/, parsed, each with its line number. */
export function jsonl(name) {
  return readFileSync(new URL(name, DATA), "utf8")
    .split("\n")
    .map((line, i) => [line, i + 1])
    .filter(([line]) => line.trim())
    .map(([line, n]) => ({ ...JSON.parse(line), line: n }));
}

/** malformed-tokens.jsonl, with the long inputs written out. */
export function malformedTokens() {
  return jsonl("malformed-tokens.jsonl").map((row) =>
    row.repeat ? { ...row, token: row.repeat.prefix + row.repeat.char.repeat(row.repeat.count) } : row,
  );
}
