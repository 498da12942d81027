// UUID v4 idempotency keys from the platform's CSPRNG (crypto.randomUUID in
// browsers and Node >= 19; node:crypto's, handed in by the Node entries, on
// Node 18 where globalThis.crypto needs a flag; getRandomValues otherwise).
let nodeRandomUUID = null;

/** Called by the Node entries with node:crypto's randomUUID. */
export function useRandomUUID(fn) {
  nodeRandomUUID = fn;
}

export function newIdempotencyKey() {
  if (nodeRandomUUID) return nodeRandomUUID();
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const b = new Uint8Array(16);
  if (typeof c?.getRandomValues === "function") c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256); // last resort: no Web Crypto
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
