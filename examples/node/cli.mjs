// What the example scripts share: how they stop on bad arguments and on errors.

/** Prints `message` (if any) and the usage line, then exits with 2. */
export function usage(usageLine, message) {
  if (message) console.error(message);
  console.error(usageLine);
  process.exit(2);
}

/** Prints an SDK error (or any other) and exits with 1. */
export function fail(err) {
  console.error(`${err?.name ?? "Error"}: ${err?.message ?? err}`);
  // RequestValidationError (nothing was sent) and 422 answers carry issues.
  for (const issue of err?.issues ?? []) {
    console.error(`  ${issue.path.join(".") || "(body)"}: ${issue.code}: ${issue.message}`);
  }
  // A 403 names the scope the key lacks.
  if (err?.requiredScope) console.error(`  the API key lacks the scope "${err.requiredScope}"`);
  process.exit(1);
}
