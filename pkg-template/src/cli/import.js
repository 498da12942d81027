// `agoralia leads import FILE`: the SDK's leads.importCsv with a checkpoint
// file (written whole, then renamed, so a kill never leaves half of one), a
// rejects file, and progress on stderr.
import { createReadStream, existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, appendFileSync } from "node:fs";
import { log, print, statusLine } from "./output.js";
import { UsageError, parseMap } from "./args.js";

/** A checkpoint kept in a JSON file. */
export function fileCheckpoint(path) {
  return {
    load: () => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null),
    save: (state) => {
      writeFileSync(`${path}.tmp`, JSON.stringify(state));
      renameSync(`${path}.tmp`, path);
    },
    remove: () => existsSync(path) && unlinkSync(path),
  };
}

const seconds = (ms) => (ms >= 3_600_000 ? `${Math.floor(ms / 3_600_000)}h${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, "0")}m` : ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}s` : `${Math.round(ms / 1000)}s`);

/** @param {import("./main.js").Context} ctx */
export async function importCommand(ctx) {
  const file = ctx.file();
  if (ctx.opt("campaign") === undefined) throw new UsageError("--campaign ID is required");
  const campaignId = ctx.int("campaign");
  const totalBytes = statSync(file).size;
  const checkpointPath = ctx.opt("checkpoint") ?? `${file}.agoralia-checkpoint.json`;
  const checkpoint = fileCheckpoint(checkpointPath);
  if (existsSync(checkpointPath) && !ctx.opt("resume")) {
    throw new UsageError(`${checkpointPath} holds an interrupted import: add --resume to continue it (nothing is sent twice), or delete it to start over`);
  }
  if (ctx.opt("resume") && !existsSync(checkpointPath)) log(`no checkpoint at ${checkpointPath}: starting from the beginning`);
  const rejectsPath = ctx.opt("rejects");
  // Rewritten in full on a resume too: the whole file is read again.
  if (rejectsPath) writeFileSync(rejectsPath, "");
  const delimiter = ctx.opt("delimiter") === "tab" ? "\t" : ctx.opt("delimiter");
  const data = ctx.opt("data") === undefined ? undefined : ctx.opt("data").split(",").map((s) => s.trim()).filter(Boolean);
  const status = ctx.opt("quiet") ? null : statusLine();
  const client = ctx.client();
  const result = await client.leads.importCsv(createReadStream(file), {
    campaignId,
    batchSize: ctx.opt("batch-size") === undefined ? 1000 : ctx.int("batch-size", { max: 1000 }),
    concurrency: ctx.opt("concurrency") === undefined ? 4 : ctx.int("concurrency", { max: 16 }),
    defaultCountryCode: ctx.opt("country"),
    delimiter,
    map: ctx.opt("map") === undefined ? undefined : parseMap(ctx.opt("map")),
    data,
    totalBytes,
    checkpoint,
    signal: ctx.signal,
    onRejects: rejectsPath ? (text) => appendFileSync(rejectsPath, text) : undefined,
    onProgress: status
      ? (p) => {
          const pct = p.estimatedLeads ? ` of ~${p.estimatedLeads}` : "";
          const rate = p.leadsPerSecond ? `, ${Math.round(p.leadsPerSecond)} leads/s` : "";
          const eta = p.etaMs !== undefined ? `, ETA ${seconds(p.etaMs)}` : "";
          const limit = p.rateLimit?.limit ? ` (limit ${p.rateLimit.limit}/min)` : "";
          status.update(`sent ${p.sent}${pct}${rate}${eta}${limit} · created ${p.created} updated ${p.updated} failed ${p.failed} rejected ${p.rejected}${p.resumedBatches ? ` · ${p.resumedBatches} batches done before` : ""}`);
        }
      : undefined,
  }).finally(() => status?.end());
  if (result.failedBatches.length === 0) checkpoint.remove();
  const summary = {
    rows: result.rows, sent: result.sent, created: result.created, updated: result.updated, failed: result.failed,
    rejected: result.rejected, batches: result.batches, resumedBatches: result.resumedBatches,
    failedBatches: result.failedBatches.map((b) => ({ index: b.index, leads: b.items.length, idempotencyKey: b.idempotencyKey, error: `${b.error?.name}: ${b.error?.message}` })),
    seconds: Math.round(result.elapsedMs / 100) / 10,
  };
  const format = ctx.format();
  if (format === "table") {
    const { failedBatches, ...rest } = summary;
    print("table", rest);
  } else print(format, summary);
  for (const i of result.issues.filter((i) => i.severity === "error").slice(0, 5)) log(`row ${i.row ?? "-"}: ${i.code}: ${i.message}`);
  if (result.rejected) log(`${result.rejected} rows rejected${rejectsPath ? `: see ${rejectsPath} (fix and import it again)` : " (--rejects FILE writes them out)"}`);
  if (result.failedBatches.length) log(`${result.failedBatches.length} batches could not be sent: run again with --resume to retry them`);
  return result.rejected || result.failedBatches.length ? 1 : 0;
}
