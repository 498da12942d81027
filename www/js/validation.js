// The SDK's validators, as the views use them. Each returns plain issue arrays:
// Issue = { path, code, message, severity, suggestion?, line?, column? }.
import { validateCampaign, validateJsonText, parseLeadsCsv as sdkParseLeadsCsv, fromServerIssues, RequestValidationError } from "agoralia";

/**
 * Parses the extraction schema as typed and validates it; every issue carries
 * its line and column in the text. `value` is undefined when the text is not JSON.
 */
export function checkSchemaText(text) {
  const { issues } = validateJsonText("extraction_schema", text);
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return { value, issues };
}

/** The whole POST /campaigns body (display columns are checked against the schema here too). */
export const checkCampaign = (body) => validateCampaign(body).issues;

export const parseLeadsCsv = (textOrBytes, options) => sdkParseLeadsCsv(textOrBytes, options);

/** Issues of a thrown SDK error (RequestValidationError, or ApiError from a 422). */
export function issuesOfError(err) {
  if (err?.issues?.length) return err.issues;
  if (Array.isArray(err?.detail)) return fromServerIssues(err.detail);
  return [];
}

export const isRequestValidationError = (err) => err instanceof RequestValidationError;
