// One place that knows the SDK's surface, so the bench adapts as pieces land:
// each function is null when the built package does not have it yet, and the
// table then says "not in the SDK yet" instead of failing.

export function adapt(pkgMod, validateMod = null) {
  // While the entry does not re-export the validators yet, take them from the
  // package's own dist/validate.js (the module the entry will export).
  const mod = { ...(validateMod ?? {}), ...pkgMod };
  const A = mod.Agoralia;
  const probe = A ? new A({ baseUrl: "http://127.0.0.1:9/api/v1", apiKey: "ago_" + "0".repeat(32), dangerouslyAllowBrowser: true }) : null;
  const fn = (f) => (typeof f === "function" ? f : null);
  const v = {
    validateCampaign: fn(mod.validateCampaign),
    validateLeads: fn(mod.validateLeads),
    parseLeadsCsv: fn(mod.parseLeadsCsv),
    validateJsonText: fn(mod.validateJsonText),
    validateLeadsJson: fn(mod.validateLeadsJson) ?? fn(mod.validateLeadsText),
    validateLeadsCsv: fn(mod.validateLeadsCsv),
  };
  const has = {
    client: !!A,
    campaignsList: !!probe?.campaigns && typeof probe.campaigns.list === "function",
    upsertAll: !!probe?.leads && typeof probe.leads.upsertAll === "function",
    ...Object.fromEntries(Object.entries(v).map(([k, f]) => [k, !!f])),
  };
  /** Counts issues in a validation result, whatever its shape. */
  const count = (r) => {
    if (r == null) return 0;
    if (Array.isArray(r)) return r.length;
    if (Array.isArray(r.issues)) return r.issues.filter((i) => (i.severity ?? i.level ?? "error") === "error").length;
    if (Array.isArray(r.errors)) return r.errors.length;
    return r.valid === false || r.ok === false ? 1 : 0;
  };
  return {
    mod, has, count,
    campaign: v.validateCampaign && ((c) => v.validateCampaign(c)),
    // validateLeads takes the POST /leads:upsert body.
    leadsArray: v.validateLeads && ((items) => v.validateLeads({ campaign_id: 1, items })),
    // Leads that arrive as text: one crossing with the text, parsed and validated inside wasm.
    leadsCsv: v.validateLeadsCsv ? (t) => v.validateLeadsCsv(t) : v.parseLeadsCsv && ((t) => v.parseLeadsCsv(t)),
    // CSV text to lead objects (parse + check), when the check above builds none.
    leadsCsvItems: v.validateLeadsCsv && v.parseLeadsCsv && ((t) => v.parseLeadsCsv(t)),
    leadsJson: v.validateLeadsJson ? (t) => v.validateLeadsJson(t) : v.validateJsonText && ((t) => v.validateJsonText("leads", t)),
  };
}
