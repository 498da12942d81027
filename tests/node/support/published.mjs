// The published campaign example (the endpoint reference's POST /campaigns body),
// shared by the tests that start from it.
export const PUBLISHED_CAMPAIGN = {
  name: "Q1 Sales Campaign",
  purpose: "quote_request",
  agent_ref_id: 1,
  from_number_id: 123,
  call_language_mode: "auto",
  output_language: "same_as_call",
  extraction_schema: {
    type: "object",
    properties: {
      quote_amount: { type: "number", required: true },
      availability: { type: "string", enum: ["yes", "no", "unknown"] },
    },
  },
  display_columns: ["name", "phone", "quote_amount"],
  schedule: { timezone: "Europe/Rome", start_date: "2025-01-20T00:00:00Z", end_date: "2025-01-31T23:59:59Z" },
};
