// The worker of docs/validation.md, "Memory": validates one input in its own
// wasm instance, which ends with the worker.
import { parentPort, workerData } from "node:worker_threads";
import { validateJsonText } from "agoralia/validate";
parentPort.postMessage(validateJsonText(workerData.kind, workerData.text));
