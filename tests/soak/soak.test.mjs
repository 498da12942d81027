// Soak: the installed tarball under every kind of call, for minutes, with full
// GCs, on Node 18, 20, 22 and 24, Deno and Bun (pinned in the root
// package.json, installed by scripts/setup.sh). Each runtime gets its own
// sandbox and runs tests/soak/workload.mjs: the concurrency checks, then ROUNDS
// rounds of about 2000 calls each (about 73 000 in all) (success, 404, 422, 503 retried and not,
// aborts, timeouts, pagination, upsertAll, small and large validation).
//
// Asserted per runtime: it exits cleanly (no V8 fatal error, no unhandled
// rejection), and memory is flat after the warm-up rounds:
// - JS heap: its growth per call after the warm-up rounds (see heapSlope) is
//   under HEAP_BYTES_PER_CALL. A leak of one small object per call measures
//   45 to 55 B/call; no leak measures -8 to 12 B/call over these rounds (the
//   heap's floor still rises for about 12 rounds, then stays flat: 72-round
//   runs on Node 18 and 22 measured 0 to 5 B/call); the last test runs the
//   workload with such a leak and requires that it fails.
// - wasm memory: the same after the last round as after the first, to the byte.
import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, startSandbox } from "../node/support/sandbox.mjs";
import { installTarball } from "../support/tarball.mjs";
import { RUNTIMES, RUNTIME_ENV, runtimeVersion } from "../support/runtimes.mjs";

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 36);
const WARMUP = 8; // rounds before the heap settles (bytecode flushing, lazy feedback)
const HEAP_BYTES_PER_CALL = 30; // between the noise (up to 12) and one leaked object (45 and up)
const APP = path.join(ROOT, "target/soak-app");

before(() => {
  // A project with the tarball installed, as a user has it.
  installTarball(APP);
  for (const f of ["workload.mjs", "big-input.mjs", "validate-worker.mjs"]) fs.copyFileSync(path.join(ROOT, "tests/soak", f), path.join(APP, f));
});

/** Runs the workload on `rt` against a fresh sandbox: { code, signal, stderr, lines }. */
async function soak(rt, mode = "") {
  const sandbox = await startSandbox({ rpm: 100000000, ipRpm: 100000000, rpd: 1000000000, quiet: true });
  try {
    const [exe, args] = [rt.exe, [...rt.args, ...rt.gcArgs]];
    const child = spawn(exe, [...args, "workload.mjs", sandbox.url, String(ROUNDS), mode], {
      cwd: APP,
      env: { ...process.env, ...RUNTIME_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const [code, signal] = await new Promise((resolve) => child.on("close", (c, s) => resolve([c, s])));
    const lines = stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    return { code, signal, stderr, lines };
  } finally {
    await sandbox.stop();
  }
}

/**
 * Heap growth per call after the warm-up, from the floor of each half of the
 * rounds: the least heap after a GC in the later half minus that in the earlier
 * half, over the calls between the halves' middles. Node's heap after a GC
 * sits on a floor with excursions of 0.5 to 2 MB above it (sockets and their
 * buffers, alive or not at that moment); a leak lifts the floor itself.
 */
function heapSlope(rounds) {
  const pts = rounds.slice(WARMUP);
  const half = pts.length >> 1;
  const [early, late] = [pts.slice(0, half), pts.slice(pts.length - half)];
  const floor = (xs) => Math.min(...xs.map((r) => r.heap));
  const middle = (xs) => xs.reduce((a, r) => a + r.calls, 0) / xs.length;
  return (floor(late) - floor(early)) / (middle(late) - middle(early));
}

function summary(rt, run) {
  const rounds = run.lines.filter((l) => l.phase === "round");
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  const first = rounds[WARMUP];
  const last = rounds.at(-1);
  return {
    rounds,
    slope: heapSlope(rounds),
    text:
      `${rt.name}: ${last?.calls} calls in ${rounds.length} rounds; heap ${mb(first?.heap)} -> ${mb(last?.heap)} MiB ` +
      `(slope ${heapSlope(rounds)?.toFixed(1)} B/call); wasm ${mb(rounds[0]?.wasm)} -> ${mb(last?.wasm)} MiB`,
  };
}

function assertRan(rt, run) {
  const crash = /Fatal error|unreachable code/.test(run.stderr) ? " (a V8 fatal error)" : "";
  assert.ok(
    run.code === 0 && run.signal === null,
    `${rt.name} exited with ${run.signal ?? run.code}${crash}:\n${run.stderr.split("\n").slice(-25).join("\n")}`,
  );
  assert.ok(run.lines.some((l) => l.phase === "concurrency"), `${rt.name}: no concurrency phase`);
  assert.equal(run.lines.filter((l) => l.phase === "round").length, ROUNDS, `${rt.name}: rounds run`);
}

describe("soak", { concurrency: 2 }, () => {
  for (const rt of RUNTIMES) {
    test(rt.name, async (t) => {
      const version = runtimeVersion(rt);
      const run = await soak(rt);
      assertRan(rt, run);
      const { rounds, slope, text } = summary(rt, run);
      t.diagnostic(`${version}: ${text}`);
      assert.ok(slope < HEAP_BYTES_PER_CALL, `${text}: the heap grows by ${slope.toFixed(1)} B per call (bound ${HEAP_BYTES_PER_CALL})`);
      assert.equal(rounds.at(-1).wasm, rounds[0].wasm, `${text}: the wasm memory grew`);
    });
  }

  test("the heap bound catches a leak of one small object per call (Node 22, leak mode)", async (t) => {
    const rt = RUNTIMES[2];
    const run = await soak(rt, "leak");
    assertRan(rt, run);
    const { slope, text } = summary(rt, run);
    t.diagnostic(`leak mode: ${text}`);
    assert.ok(slope >= HEAP_BYTES_PER_CALL, `a leak of one object per call measured ${slope.toFixed(1)} B/call, under the bound ${HEAP_BYTES_PER_CALL}`);
  });
});

// docs/validation.md, "Memory": what one big input costs the instance, and the
// way out (a worker) that leaves the main instance as it was.
test("a 31 MB input: the instance keeps what it grew to; validated in a worker, the main instance stays at its size", () => {
  const out = execFileSync(process.execPath, ["big-input.mjs"], { cwd: APP, encoding: "utf8" });
  const m = JSON.parse(out);
  const mib = (b) => (b / 2 ** 20).toFixed(1);
  const note = `start ${mib(m.start)} MiB, in place ${mib(m.inPlace)} MiB, main instance after the worker ${mib(m.afterWorker)} MiB`;
  assert.deepEqual(m.codes, ["too_large", "too_large"], note); // 180 000 leads in one request: the report is the same both ways
  assert.ok(m.inPlace > 40 * 2 ** 20, `${note}: the in-place figure the doc quotes`);
  assert.equal(m.afterWorker, m.start, `${note}: the worker's validation grew the main instance`);
});
