#!/usr/bin/env node
// Creates a campaign (and an agent for it, unless --agent is given), starts it and
// lists its calls.
//
//   node launch-campaign.mjs [--agent ID] [--name NAME] [--purpose PURPOSE] [--columns a,b,c]
//
// Environment: AGORALIA_API_KEY (required), AGORALIA_BASE_URL (optional; the
// SDK's default, https://api.agoralia.app/api/v1, when unset).
//
// The campaign is checked with validateCampaign before anything is sent: errors
// are printed and the script exits with 1; warnings are shown and the launch
// goes on. Try `--purpose quote` (an error) or `--columns name,phone,budget`
// (a warning: "budget" is not in the extraction schema).
import { Agoralia, validateAgent, validateCampaign } from "agoralia";
import { fail, usage } from "./cli.mjs";

const USAGE = "usage: node launch-campaign.mjs [--agent ID] [--name NAME] [--purpose PURPOSE] [--columns a,b,c]";

function parseArgs(argv) {
  const args = { agent: undefined, name: `Quote requests ${new Date().toISOString().slice(0, 10)}`, purpose: "quote_request", columns: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(USAGE, `${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--agent") args.agent = Number(value());
    else if (arg === "--name") args.name = value();
    else if (arg === "--purpose") args.purpose = value();
    else if (arg === "--columns") args.columns = value().split(",").map((c) => c.trim());
    else if (arg === "-h" || arg === "--help") usage(USAGE);
    else usage(USAGE, `unknown argument ${arg}`);
  }
  if (args.agent !== undefined && (!Number.isSafeInteger(args.agent) || args.agent < 1)) usage(USAGE, "--agent must be a positive integer");
  return args;
}

/** Prints the issues of a validation; true when none is an error. */
function report(what, { valid, issues }) {
  for (const issue of issues) {
    const log = issue.severity === "error" ? console.error : console.log;
    log(`${what} ${issue.severity}: ${issue.path.join(".") || "(body)"}: ${issue.code}: ${issue.message}`);
  }
  return valid;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = new Agoralia({
    apiKey: process.env.AGORALIA_API_KEY,
    baseUrl: process.env.AGORALIA_BASE_URL || undefined,
  });

  const agentBody = { name: "Quote Agent", lang: "it-IT", voice_engine: "vapi" };
  const campaign = {
    name: args.name,
    purpose: args.purpose,
    // Until the agent exists, a stand-in id lets the rest of the body be checked.
    agent_ref_id: args.agent ?? 1,
    call_language_mode: "auto",
    output_language: "same_as_call",
    extraction_schema: {
      type: "object",
      properties: {
        quote_amount: { type: "number", required: true, description: "The amount quoted, in euros" },
        availability: { type: "string", enum: ["yes", "no", "unknown"] },
        callback_time: { type: "string", description: "When to call back, if asked" },
      },
    },
    display_columns: args.columns ?? ["name", "phone", "quote_amount", "availability"],
    schedule: { timezone: "Europe/Rome" },
  };

  // Check everything locally first, so that nothing is created when the input is wrong.
  const agentOk = args.agent !== undefined || report("agent", validateAgent(agentBody));
  const campaignOk = report("campaign", validateCampaign(campaign));
  if (!agentOk || !campaignOk) {
    console.error("not valid: nothing was sent");
    process.exitCode = 1;
    return;
  }

  if (args.agent === undefined) {
    const agent = await client.agents.create(agentBody);
    console.log(`agent created: ${agent.id} (${agent.name})`);
    campaign.agent_ref_id = agent.id;
  } else {
    console.log(`agent: ${args.agent}`);
  }

  // The SDK validates again before sending (RequestValidationError), and the server
  // may still answer 422 (UnprocessableEntityError); both carry `issues`.
  const created = await client.campaigns.create(campaign);
  console.log(`campaign created: ${created.id} (${created.name}, ${created.status})`);

  const proposal = await client.campaigns.start(created.id);
  console.log(`start proposal: ${proposal.proposal_id}`);
  console.log(`requires_confirmation: ${proposal.requires_confirmation}`);
  if (proposal.requires_confirmation) {
    console.log(
      "Starting is a double opt-in: the API answers with a proposal that must be confirmed, " +
        "and the Public API v1 publishes no endpoint to confirm it, so this script cannot; " +
        "keep the proposal_id for the confirmation step.",
    );
  }

  // Every call of the campaign, page after page.
  let count = 0;
  for await (const call of client.calls.list({ campaign_id: created.id })) {
    count += 1;
    console.log(`call ${call.id}: ${call.status} to ${call.to_number ?? "-"} (${call.detected_language ?? "language not detected"})`);
  }
  console.log(`${count} call(s) so far`);
}

main().catch(fail);
