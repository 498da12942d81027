// Why a value cannot be sent as JSON, in words that do not depend on the JS
// engine: V8, SpiderMonkey and JavaScriptCore each word JSON.stringify's
// TypeError differently, and a form's message should read the same everywhere.
export function notJsonReason(error) {
  const message = error && typeof error.message === "string" ? error.message : String(error);
  if (error instanceof TypeError && /bigint/i.test(message)) return "it holds a BigInt (send it as a string or a number)";
  if (error instanceof TypeError && /cycl|circular/i.test(message)) return "it holds a cycle (an object that contains itself)";
  return message; // a toJSON() that threw: the caller's own words
}
