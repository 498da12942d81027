// The page's shared state: the client built from the settings bar, what GET /me
// said about the key, and the campaigns (shared by the builder, leads and results).
import { Agoralia } from "agoralia";

export const SANDBOX_KEYS = {
  all: "ago_SandboxAllScopes0000000000000001",
  "read-only": "ago_SandboxReadOnly00000000000000002",
  "no-scopes": "ago_SandboxNoScopes00000000000000003",
  expired: "ago_SandboxExpired000000000000000004",
  revoked: "ago_SandboxRevoked000000000000000005",
};

/** Every scope of the API and what it allows, in the reference's order. */
export const SCOPES = [
  ["me:read", "Read the workspace", "GET /me"],
  ["agents:read", "List agents", "GET /agents"],
  ["agents:write", "Create agents", "POST /agents"],
  ["campaigns:read", "List campaigns", "GET /campaigns"],
  ["campaigns:write", "Create campaigns", "POST /campaigns"],
  ["campaigns:start", "Start campaigns", "POST /campaigns/{id}/start"],
  ["results:read", "Read campaign results", "GET /campaigns/{id}/results"],
  ["leads:write", "Import leads", "POST /leads:upsert"],
  ["calls:read", "List calls", "GET /calls"],
];

class State extends EventTarget {
  client = null;
  settings = { baseUrl: "", apiKey: "" };
  /** GET /me's answer, or null when unknown. */
  me = null;
  /** Scopes of the key when known (a Set), else null. */
  scopes = null;
  campaigns = [];
  campaignId = null;

  connect(settings) {
    // Throws on a malformed key or URL: the settings bar shows it.
    const client = new Agoralia({ apiKey: settings.apiKey, baseUrl: settings.baseUrl, dangerouslyAllowBrowser: true });
    this.settings = { ...settings };
    this.client = client;
    this.me = null;
    this.scopes = null;
    this.emit("client");
  }

  setMe(me) {
    this.me = me;
    this.scopes = me ? new Set(me.api_key_scopes ?? []) : null;
    this.emit("scopes");
  }

  /** True, false, or null when the key's scopes are unknown. */
  may(scope) {
    return this.scopes ? this.scopes.has(scope) : null;
  }

  setCampaigns(list) {
    this.campaigns = list;
    if (this.campaignId == null || !list.some((c) => c.id === this.campaignId)) this.campaignId = list[0]?.id ?? null;
    this.emit("campaigns");
  }

  addCampaign(c) {
    this.campaigns = [...this.campaigns.filter((x) => x.id !== c.id), c].sort((a, b) => a.id - b.id);
    this.campaignId = c.id;
    this.emit("campaigns");
  }

  selectCampaign(id) {
    if (id === this.campaignId) return;
    this.campaignId = id;
    this.emit("campaign");
  }

  campaign() {
    return this.campaigns.find((c) => c.id === this.campaignId) ?? null;
  }

  emit(type) {
    this.dispatchEvent(new Event(type));
  }
}

export const state = new State();
