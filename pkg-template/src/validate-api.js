// The public surface of the validators, for both `agoralia` and
// `agoralia/validate`: validate.js also exports helpers the client's import
// uses (the CSV chunking, the options check), which are not public.
export {
  validate,
  validateCampaign,
  validateAgent,
  validateLeads,
  validateExtractionSchema,
  validateDisplayColumns,
  validateListParams,
  validateCallsListParams,
  validateJsonText,
  normalizePhone,
  parseLeadsCsv,
  readLeadsCsv,
  validateLeadsCsv,
  toFieldErrors,
  toNestedErrors,
  fromServerIssues,
  campaignSchema,
  agentSchema,
  leadsSchema,
  extractionSchemaSchema,
  wasmMemoryBytes,
} from "./validate.js";
