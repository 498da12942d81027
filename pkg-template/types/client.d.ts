export interface ClientOptions {
  /** `ago_` followed by 32 letters or digits. */
  apiKey?: string;
  /** Default `https://api.agoralia.app/api/v1`. */
  baseUrl?: string;
}

export interface Me {
  tenant_id: number;
  workspace_name: string;
  plan: string;
  rate_limits: { rpm: number; rpd: number };
  api_key_scopes: string[];
}

export declare class Agoralia {
  constructor(options?: ClientOptions);
  me(): Promise<Me>;
}
