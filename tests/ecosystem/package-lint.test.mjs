// The packed tarball through the two linters of npm packages: attw (are the
// types wrong, for node10, node16 from CJS and ESM, and bundler resolution)
// and publint (exports map, files, formats), strict. Both clean: nothing is
// ignored (docs/runtimes.md).
import test from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ROOT, run, tarball } from "./support/project.mjs";

const bin = (name) => path.join(ROOT, "node_modules/.bin", name);

test("attw: no problem in any resolution mode, for . and ./validate", () => {
  let out;
  try {
    out = run(ROOT, bin("attw"), ["--format", "json", "--profile", "strict", tarball()]);
  } catch (e) {
    out = e.stdout; // exit 1 when it finds problems: the JSON says which
  }
  const { analysis, problems } = JSON.parse(out);
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(), [".", "./package.json", "./validate"]);
  // problems: by rule kind; none of any kind.
  assert.deepEqual(problems ?? {}, {}, JSON.stringify(problems, null, 2));
});

test("publint --strict: all good", () => {
  let out;
  try {
    out = run(ROOT, bin("publint"), ["--strict", tarball()]);
  } catch (e) {
    assert.fail(`publint:\n${e.stdout}${e.stderr}`);
  }
  assert.match(out, /All good!/, out);
});
