// Types for client-side validation. See docs/validation.md for every code.

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Stable issue codes (see docs/validation.md). New codes may be added in minor versions. */
export type IssueCode =
  | "invalid_json" | "not_json" | "too_deep" | "unknown_kind" | "too_many_issues"
  | "required" | "invalid_type" | "invalid_enum" | "invalid_value" | "empty_string" | "unknown_field"
  | "numeric_string" | "out_of_range"
  | "empty_schema" | "no_properties" | "root_not_object" | "unknown_type" | "duplicate_type"
  | "enum_empty" | "enum_type_mismatch" | "enum_duplicate" | "unknown_keyword" | "required_not_found"
  | "duplicate_name" | "invalid_pattern" | "empty_range" | "default_type_mismatch"
  | "duplicate_column" | "unknown_column" | "empty_column"
  | "invalid_phone" | "phone_not_normalized" | "missing_country_code"
  | "duplicate_external_id" | "empty_items" | "too_large"
  | "invalid_language_tag" | "unusual_language_tag" | "invalid_timezone" | "unknown_timezone" | "invalid_datetime" | "schedule_order"
  | "empty_csv" | "no_rows" | "missing_column" | "empty_header" | "duplicate_header" | "extra_fields"
  | "csv_quote" | "csv_unterminated_quote" | "csv_record_too_long" | "duplicates_not_checked" | "not_utf8" | "server_error";

/** One finding. `path` addresses the exact spot, e.g. ["items", 3, "phone"]. */
export interface Issue {
  path: (string | number)[];
  /** A documented {@link IssueCode}; server issues carry FastAPI's `type`. */
  code: IssueCode | (string & {});
  message: string;
  severity: "error" | "warning";
  /** A corrected value when one is likely ("did you mean"). */
  suggestion?: string;
  /** 1-based, from validateJsonText. */
  line?: number;
  /** 1-based, in UTF-16 code units, from validateJsonText. */
  column?: number;
  /** CSV row as a person counts it (header = 1), from parseLeadsCsv. */
  row?: number;
}

/** `valid` is true when no issue is an error (warnings allowed). */
export interface ValidationResult {
  valid: boolean;
  issues: Issue[];
}

export type ValidationKind =
  | "agent" | "campaign" | "leads" | "extraction_schema" | "display_columns" | "list_params" | "calls_list_params";

export type JsonSchemaTypeName = "object" | "string" | "number" | "integer" | "boolean" | "array" | "null";

/** The extraction-schema dialect: JSON Schema (draft-07) plus `"required": true` inside a property. */
export interface ExtractionSchema {
  type?: JsonSchemaTypeName | JsonSchemaTypeName[];
  properties?: { [name: string]: ExtractionSchema };
  /** An array of names on an object, or `true` inside a property (the published form). */
  required?: string[] | boolean;
  enum?: JsonValue[];
  items?: ExtractionSchema | boolean | (ExtractionSchema | boolean)[];
  description?: string;
  title?: string;
  [keyword: string]: unknown;
}

export type CampaignPurpose = "quote_request" | "cold_calling" | "appointment" | "qualification" | "inbound";

export interface CampaignScheduleInput {
  /** IANA time zone name, e.g. "Europe/Rome". */
  timezone?: string | null;
  /** ISO 8601 / RFC 3339, e.g. "2025-01-20T00:00:00Z". */
  start_date?: string | null;
  end_date?: string | null;
}

/** POST /campaigns body. */
export interface CampaignInput {
  name: string;
  purpose: CampaignPurpose;
  agent_ref_id: number;
  from_number_id?: number | null;
  call_language_mode?: "auto" | "fixed" | null;
  /** "same_as_call" or a BCP-47 tag such as "en-US". */
  output_language?: "same_as_call" | (string & {}) | null;
  extraction_schema: ExtractionSchema;
  display_columns: string[];
  schedule?: CampaignScheduleInput | null;
}

/** POST /agents body. */
export interface AgentInput {
  name: string;
  /** BCP-47 tag such as "it-IT". */
  lang?: string | null;
  voice_engine?: "vapi" | "retell" | null;
  voice_id?: string | null;
  model?: string | null;
  general_tools?: { [key: string]: JsonValue }[] | null;
  post_call_analysis_data?: { [key: string]: JsonValue }[] | null;
}

/** One lead of an upsert. */
export interface LeadInput {
  external_id: string;
  /** E.164, e.g. "+393401234567". */
  phone: string;
  name?: string | null;
  data?: { [key: string]: JsonValue } | null;
}

/** POST /leads:upsert body (at most 1000 items). */
export interface LeadsUpsertInput {
  campaign_id: number;
  items: LeadInput[];
}

export interface ListParamsInput {
  /** 1 to 100. */
  limit?: number | null;
  cursor?: string | number | null;
}

export interface CallsListParamsInput extends ListParamsInput {
  campaign_id?: number | null;
}

export declare function validateCampaign(input: unknown): ValidationResult;
export declare function validateAgent(input: unknown): ValidationResult;
export declare function validateLeads(input: unknown): ValidationResult;
export declare function validateExtractionSchema(schema: unknown): ValidationResult;
/** Issue paths start with "columns". */
export declare function validateDisplayColumns(columns: unknown, extractionSchema?: unknown): ValidationResult;
export declare function validateListParams(params?: unknown): ValidationResult;
export declare function validateCallsListParams(params?: unknown): ValidationResult;
export declare function validate(kind: ValidationKind, input: unknown): ValidationResult;
/** For editors: issues carry `line` and `column`. Text that is not JSON gives one `invalid_json` issue at its position. */
export declare function validateJsonText(kind: ValidationKind, text: string): ValidationResult;

/**
 * Bytes of memory the wasm instance holds now: it grows to fit the largest input
 * validated so far and never shrinks. For watching a long-lived process or page.
 * @example wasmMemoryBytes(); // 1179648 at start
 */
export declare function wasmMemoryBytes(): number;

export type NormalizePhoneResult = { ok: true; value: string } | { ok: false; issue: Issue };
export declare function normalizePhone(input: string, options?: { defaultCountryCode?: string | number }): NormalizePhoneResult;

export interface ParseLeadsCsvOptions {
  /** Forced delimiter; detected from the header among "," ";" "\t" when absent. */
  delimiter?: "," | ";" | "\t" | "|";
  /** Country calling code for numbers written without one, e.g. "39". */
  defaultCountryCode?: string | number;
  /** Put the E.164 form in `items` (with a warning per rewritten number) instead of rejecting such rows. */
  normalizePhones?: boolean;
  /** Headers for lead fields the aliases do not recognise, e.g. `{ external_id: "Codice cliente", phone: "Cellulare" }`. */
  map?: { external_id?: string; phone?: string; name?: string };
  /** Only these headers go to `data` (default: every column that is not a lead field). */
  data?: string[];
}

/** One chunk of {@link readLeadsCsv}: what the rows completed since the last chunk gave. */
export interface LeadsCsvChunk {
  /** Leads from this chunk's rows without errors. */
  items: LeadInput[];
  /** Issues of this chunk's rows (and the header's, in the first chunk); `row` is set. */
  issues: Issue[];
  /** Rejected rows as CSV: original columns plus `_row` and `_issue` (the header comes with the first). */
  rejects: string;
  rejected: number;
  /** Data rows read so far. */
  rowCount: number;
  /** Nothing from this file can be sent: no external_id or phone column, or a row longer than 1 MiB. */
  fatal: boolean;
  valid: boolean;
}

/** What {@link readLeadsCsv} reads: text, bytes, a Blob or File, a ReadableStream, or an (async) iterable of chunks (a Node stream). */
export type CsvSource =
  | string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Reads leads from a CSV of any size as it arrives; memory follows the longest row, not the file.
 * @example
 * for await (const chunk of readLeadsCsv(file.stream(), { defaultCountryCode: "39" })) show(chunk.issues);
 */
export declare function readLeadsCsv(source: CsvSource, options?: ParseLeadsCsvOptions): AsyncGenerator<LeadsCsvChunk, void, undefined>;

export interface ParseLeadsCsvResult {
  /** Leads from the rows without errors. */
  items: LeadInput[];
  /** Paths are ["rows", row, field]; `row` is set too. */
  issues: Issue[];
  /** Data rows read (blank lines not counted). */
  rowCount: number;
  valid: boolean;
}

export declare function parseLeadsCsv(input: string | Uint8Array | ArrayBuffer, options?: ParseLeadsCsvOptions): ParseLeadsCsvResult;

/** What {@link validateLeadsCsv} returns: a {@link ParseLeadsCsvResult} without the items. */
export type ValidateLeadsCsvResult = Omit<ParseLeadsCsvResult, "items">;

/**
 * Checks CSV text or bytes exactly as {@link parseLeadsCsv} does, without building the leads:
 * for a file picker that shows what is wrong before any upload.
 * @example
 * const { valid, issues } = validateLeadsCsv(await file.text(), { defaultCountryCode: "39" });
 */
export declare function validateLeadsCsv(input: string | Uint8Array | ArrayBuffer, options?: ParseLeadsCsvOptions): ValidateLeadsCsvResult;

/** `{ "items.3.phone": "first error message" }`; "" for the whole value. Errors only. */
export declare function toFieldErrors(issues: readonly Issue[] | { issues: readonly Issue[] }): Record<string, string>;

export interface NestedFieldError {
  type: string;
  message: string;
}
/** Nested like react-hook-form's FieldErrors (arrays for numeric steps; `root` for the whole value). */
export type NestedErrors = { [key: string]: NestedFieldError | NestedErrors | (NestedFieldError | NestedErrors | undefined)[] };
export declare function toNestedErrors(issues: readonly Issue[] | { issues: readonly Issue[] }): NestedErrors;

/** A FastAPI error `detail` as it arrives in a 422 (or any error) body. */
export type FastApiDetail = string | { loc: (string | number)[]; msg: string; type: string }[];
export declare function fromServerIssues(detail: FastApiDetail | unknown): Issue[];

/** The Standard Schema v1 interface (https://standardschema.dev), declared inline so no dependency is needed. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1.Props<Input, Output>;
}
export declare namespace StandardSchemaV1 {
  interface Props<Input = unknown, Output = Input> {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    readonly types?: Types<Input, Output> | undefined;
  }
  type Result<Output> = SuccessResult<Output> | FailureResult;
  interface SuccessResult<Output> {
    readonly value: Output;
    readonly issues?: undefined;
  }
  interface FailureResult {
    readonly issues: ReadonlyArray<Issue>;
  }
  interface Issue {
    readonly message: string;
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  interface PathSegment {
    readonly key: PropertyKey;
  }
  interface Types<Input = unknown, Output = Input> {
    readonly input: Input;
    readonly output: Output;
  }
  type InferInput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["input"];
  type InferOutput<Schema extends StandardSchemaV1> = NonNullable<Schema["~standard"]["types"]>["output"];
}

/** For react-hook-form (standardSchemaResolver), TanStack Form and others. Warnings never fail. */
export declare const campaignSchema: StandardSchemaV1<CampaignInput, CampaignInput>;
export declare const agentSchema: StandardSchemaV1<AgentInput, AgentInput>;
export declare const leadsSchema: StandardSchemaV1<LeadsUpsertInput, LeadsUpsertInput>;
export declare const extractionSchemaSchema: StandardSchemaV1<ExtractionSchema, ExtractionSchema>;
