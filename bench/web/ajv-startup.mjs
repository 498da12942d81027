// The start-up baseline in the browser: ajv + ajv-formats, compile the campaign schema on first use.
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { campaignSchema, ajvCampaignCheck } from "../lib/data.mjs";

let v;
export function check(c) {
  if (!v) {
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    v = ajv.compile(campaignSchema);
  }
  return ajvCampaignCheck(v, c);
}
