// Run by soak.test.mjs from the soak app: a 31 MB leads text validated in a
// worker (the main instance must not grow), then in place (it keeps the
// memory). Prints the figures as JSON.
import { Worker } from "node:worker_threads";
import { validateJsonText, wasmMemoryBytes } from "agoralia";

const validateInWorker = (kind, text) =>
  new Promise((resolve, reject) => {
    const w = new Worker(new URL("./validate-worker.mjs", import.meta.url), { workerData: { kind, text } });
    w.once("message", (report) => (resolve(report), w.terminate()));
    w.once("error", reject);
  });

const lead = (n) => ({ external_id: `L${n}`, phone: `+3934${String(n).padStart(8, "0")}`, name: `Lead number ${n}`, data: { city: "Milano", notes: "x".repeat(60) } });
const text = JSON.stringify({ campaign_id: 1, items: Array.from({ length: 180001 }, (_, i) => lead(i)) });
const start = wasmMemoryBytes();
const inWorker = await validateInWorker("leads", text);
const afterWorker = wasmMemoryBytes();
const inPlace = validateJsonText("leads", text);
console.log(JSON.stringify({ start, afterWorker, inPlace: wasmMemoryBytes(), codes: [inWorker.issues[0]?.code, inPlace.issues[0]?.code] }));
