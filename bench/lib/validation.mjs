// Validation workloads, the same code in Node and in the browser page:
// the campaign per keystroke and the 10 000-lead batch, ours vs the ajv
// baseline on the same data, interleaved in one process.
import * as D from "./data.mjs";
import { interleave, summary } from "./stats.mjs";

export function ajvValidators(Ajv, addFormats) {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  return { campaign: ajv.compile(D.campaignSchema), leads: ajv.compile(D.leadSchema) };
}

/** Campaign per keystroke: each form state validated by both, alternating who goes first. */
export function keystrokeBench(sdk, V, { count }) {
  const states = D.keystrokes(count);
  const ours = [], base = [];
  let oursIssues = -1, baseIssues = -1;
  for (let w = 0; w < 50; w++) { sdk.campaign(states[w % states.length]); D.ajvCampaignCheck(V.campaign, states[w % states.length]); }
  for (let i = 0; i < states.length; i++) {
    const s = states[i];
    const a = () => { const t = performance.now(); const r = sdk.campaign(s); ours.push(performance.now() - t); oursIssues = sdk.count(r); };
    const b = () => { const t = performance.now(); baseIssues = D.ajvCampaignCheck(V.campaign, s); base.push(performance.now() - t); };
    if (i & 1) { b(); a(); } else { a(); b(); }
  }
  return { ours: summary(ours), base: summary(base), oursIssues, baseIssues };
}

/** 10 000 leads: as a JS array, as CSV text, as JSON text; each form against ajv on the same input. */
export async function leadsBench(sdk, V, Papa, { n, rounds }) {
  const list = D.leads(n);
  const csv = D.leadsCsv(list);
  const json = D.leadsJson(list);
  const issues = {};
  const c = {
    "base:array": () => { issues["base:array"] = D.ajvLeadsCheck(V.leads, list); },
    "base:csv": () => {
      const rows = Papa.parse(csv, { header: true, skipEmptyLines: true }).data;
      issues["base:csv"] = D.ajvLeadsCheck(V.leads, D.csvRowsToLeads(rows));
    },
    "base:json": () => { issues["base:json"] = D.ajvLeadsCheck(V.leads, JSON.parse(json).items); },
  };
  if (sdk?.leadsArray) c["ours:array"] = () => { issues["ours:array"] = sdk.count(sdk.leadsArray(list)); };
  if (sdk?.leadsCsv) c["ours:csv"] = () => { issues["ours:csv"] = sdk.count(sdk.leadsCsv(csv)); };
  // The same file parsed into lead objects too (what papaparse's side builds).
  if (sdk?.leadsCsvItems) c["ours:csvItems"] = () => { const r = sdk.leadsCsvItems(csv); issues["ours:csvItems"] = sdk.count(r); issues.csvItems = r.items.length; };
  if (sdk?.leadsJson) c["ours:json"] = () => { issues["ours:json"] = sdk.count(sdk.leadsJson(json)); };
  const r = await interleave(c, { rounds, warmup: 2 });
  return { times: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, summary(v)])), issues, bytes: { csv: csv.length, json: json.length } };
}

/** Both workloads; `sdk` may lack pieces (null functions) while the SDK is being built. */
export async function validationSuite(sdk, { Ajv, addFormats, Papa }, { keystrokes, leads, rounds }) {
  const V = ajvValidators(Ajv, addFormats);
  const out = {};
  if (sdk?.campaign) out.keystroke = keystrokeBench(sdk, V, { count: keystrokes });
  else {
    // The baseline alone, so its figure is in the table before ours lands.
    const base = [];
    for (const s of D.keystrokes(keystrokes)) { const t = performance.now(); D.ajvCampaignCheck(V.campaign, s); base.push(performance.now() - t); }
    out.keystroke = { ours: null, base: summary(base) };
  }
  out.leads = await leadsBench(sdk, V, Papa, { n: leads, rounds });
  return out;
}
