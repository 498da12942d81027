// The workspace's campaigns, shared by the leads and results views, and a picker for them.
import { state } from "./state.js";
import { h, field } from "./ui.js";

let loading = null;

/** Loads every campaign (all pages: `for await` follows the cursor). */
export function loadCampaigns() {
  const client = state.client;
  if (!client) return Promise.resolve();
  loading = (async () => {
    try {
      const all = [];
      for await (const c of client.campaigns.list({ limit: 100 })) all.push(c);
      if (client === state.client) state.setCampaigns(all);
    } catch {
      if (client === state.client) state.setCampaigns([]);
    }
  })();
  return loading;
}

/** A <select> bound to state.campaignId; re-renders when the list changes. */
export function campaignPicker({ label = "Campaign", id }) {
  const select = h("select", { id, name: "campaign", "data-testid": id });
  const fill = () => {
    select.replaceChildren(
      ...(state.campaigns.length
        ? state.campaigns.map((c) => h("option", { value: String(c.id), selected: c.id === state.campaignId }, `#${c.id} · ${c.name}${c.status ? ` (${c.status})` : ""}`))
        : [h("option", { value: "" }, "No campaigns (or no campaigns:read)")]),
    );
  };
  select.addEventListener("change", () => state.selectCampaign(Number(select.value)));
  state.addEventListener("campaigns", fill);
  state.addEventListener("campaign", () => (select.value = String(state.campaignId)));
  fill();
  return field({ label, control: select, className: "campaign-picker" });
}
