import { WasmClient } from "./wasm/agoralia.js";
import { ApiError } from "./errors.js";

const DEFAULT_BASE_URL = "https://api.agoralia.app/api/v1";

/** A client for the Agoralia Public API v1. */
export class Agoralia {
  // Private: the key lives only inside the wasm instance, never on this object.
  #wasm;

  constructor({ apiKey, baseUrl = DEFAULT_BASE_URL } = {}) {
    this.#wasm = new WasmClient(baseUrl, apiKey);
  }

  /** GET /me: the workspace, its plan and rate limits, and the key's scopes. */
  async me() {
    const envelope = JSON.parse(await this.#wasm.send("me"));
    const body = JSON.parse(envelope.body);
    if (!envelope.ok) throw new ApiError(envelope.status, body.detail);
    return body;
  }
}
