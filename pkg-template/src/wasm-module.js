// `vercel dev` and `next dev` run edge code in the edge-runtime emulator, a
// Node vm context, and compile each `.wasm?module` binding in Node's realm: the
// Module they hand in fails the generated glue's `instanceof
// WebAssembly.Module`, and the glue would then try to compile it as bytes. A
// Module from another realm is still a Module to WebAssembly.Instance (the
// check is by brand), so give it this realm's prototype. A same-realm Module,
// as on Vercel's edge network, is returned untouched.
export function sameRealmModule(module) {
  if (module instanceof WebAssembly.Module) return module;
  WebAssembly.Module.exports(module); // throws a TypeError unless it is a Module
  return Object.setPrototypeOf(module, WebAssembly.Module.prototype);
}
