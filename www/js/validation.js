// The SDK's validators, as the views use them. Each returns plain issue arrays:
// Issue = { path, code, message, severity, suggestion?, line?, column? }.
import * as entry from "agoralia";

// The validators are part of the package's public surface. Until its entry
// re-exports them (pkg-template/src/index.js: `export * from "./validate.js"`),
// they are loaded from the package's own module, next to the entry; the wasm is
// already instantiated by then (the entry awaited it).
const sdk = typeof entry.validateCampaign === "function" ? entry : { ...entry, ...(await import("/pkg/dist/validate.js")) };

const issuesOf = (r) => (Array.isArray(r) ? r : (r?.issues ?? []));

export const available = () => typeof sdk.validateCampaign === "function";

/**
 * Parses the extraction schema as JSON text and validates it, every issue with
 * its line and column in the text. `value` is undefined when the text is not JSON.
 */
export function checkSchemaText(text) {
  if (!sdk.validateJsonText) return fallbackParse(text);
  const issues = issuesOf(sdk.validateJsonText("extraction_schema", text));
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return { value, issues };
}

function fallbackParse(text) {
  try {
    return { value: JSON.parse(text), issues: [] };
  } catch (e) {
    return { value: undefined, issues: [{ path: [], code: "json_syntax", message: e.message, severity: "error" }] };
  }
}

export function checkCampaign(body) {
  return sdk.validateCampaign ? issuesOf(sdk.validateCampaign(body)) : [];
}

export function checkColumns(columns, schema) {
  return sdk.validateDisplayColumns ? issuesOf(sdk.validateDisplayColumns(columns, schema)) : [];
}

export function normalizePhone(phone, options) {
  if (!sdk.normalizePhone) return null;
  try {
    const r = sdk.normalizePhone(phone, options);
    return r?.ok ? r.value : null;
  } catch {
    return null;
  }
}

export function parseLeadsCsv(textOrBytes, options) {
  return sdk.parseLeadsCsv(textOrBytes, options);
}

/** Issues of a thrown SDK error (RequestValidationError, or ApiError from a 422). */
export function issuesOfError(err) {
  if (err?.issues?.length) return err.issues;
  if (Array.isArray(err?.detail) && sdk.fromServerIssues) return issuesOf(sdk.fromServerIssues(err.detail));
  return [];
}

export const isRequestValidationError = (err) => (sdk.RequestValidationError ? err instanceof sdk.RequestValidationError : err?.name === "RequestValidationError");
