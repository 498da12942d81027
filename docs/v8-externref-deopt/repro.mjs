// A V8 crash in Node 20 and 22, with no SDK and no dependencies:
//
//   node --allow-natives-syntax repro.mjs externref   # Node 20.20.2, 22.23.5: Fatal error, "unreachable code"
//   node --allow-natives-syntax repro.mjs i32         # survives everywhere
//
// TurboFan inlines a call to a wasm export into the optimized JS caller
// (--turbo-inline-js-wasm-calls, on by default in Node 20 and 22). If the
// caller is deoptimized while the wasm function runs (here by the import it
// calls back; in a real program by a full GC or a changed object shape), the
// return to JS goes through a builtin continuation that has no case for an
// `externref` result, and V8 aborts the process. An i32, f64 or no result is
// handled. Node 18 (no such inlining) and Node 24 (fixed) survive both.
const kind = process.argv[2] ?? "externref";
const t = kind === "externref" ? 0x6f : 0x7f; // the result type: externref or i32

// (module
//   (import "m" "cb" (func $cb (result T)))
//   (func (export "f") (param T) (result T) call $cb))
const bytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x0a, 0x02, 0x60, 0x00, 0x01, t, 0x60, 0x01, t, 0x01, t, // types: () -> T, (T) -> T
  0x02, 0x08, 0x01, 0x01, 0x6d, 0x02, 0x63, 0x62, 0x00, 0x00, // import m.cb, type 0
  0x03, 0x02, 0x01, 0x01, // one function, type 1
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, // export "f" = function 1
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b, // body: call 0, end
]);

let deoptimizeNow = false;
const imports = {
  m: {
    cb: () => {
      if (deoptimizeNow) %DeoptimizeFunction(caller); // a lazy deopt: caller's frame is on the stack, below the wasm one
      return kind === "externref" ? "a value" : 1;
    },
  },
};
const { instance } = await WebAssembly.instantiate(bytes, imports);
const f = instance.exports.f;

function caller(x) {
  return f(x); // inlined by TurboFan once caller is optimized
}
%PrepareFunctionForOptimization(caller);
caller(1);
caller(2);
%OptimizeFunctionOnNextCall(caller);
caller(3);

deoptimizeNow = true;
console.log(`${process.version} ${kind}: returned ${JSON.stringify(caller(4))}, survived`);
