/**
 * Lever's hosts per environment (reference §1.1). EU API-key customers' data host is only known from
 * third-party clients; OAuth is routed to the right data centre by Lever itself.
 */
export type LeverEnvironment = "production" | "sandbox" | "eu" | "custom";

export interface EnvironmentHosts {
  apiBaseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  audience: string;
}

export const LEVER_ENVIRONMENTS: Record<Exclude<LeverEnvironment, "custom">, EnvironmentHosts> = {
  production: {
    apiBaseUrl: "https://api.lever.co/v1",
    authorizeUrl: "https://auth.lever.co/authorize",
    tokenUrl: "https://auth.lever.co/oauth/token",
    audience: "https://api.lever.co/v1/",
  },
  sandbox: {
    apiBaseUrl: "https://api.sandbox.lever.co/v1",
    authorizeUrl: "https://sandbox-lever.auth0.com/authorize",
    tokenUrl: "https://sandbox-lever.auth0.com/oauth/token",
    audience: "https://api.sandbox.lever.co/v1/",
  },
  eu: {
    apiBaseUrl: "https://api.eu.lever.co/v1",
    authorizeUrl: "https://auth.lever.co/authorize",
    tokenUrl: "https://auth.lever.co/oauth/token",
    audience: "https://api.lever.co/v1/",
  },
};

/** The API base URL of a connection: its own `baseUrl` when given, else its environment's. */
export function apiBaseUrlFor(environment: LeverEnvironment, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl.replace(/\/+$/, "");
  if (environment === "custom") throw new Error("a custom environment needs a baseUrl");
  return LEVER_ENVIRONMENTS[environment].apiBaseUrl;
}

/** OAuth hosts of an environment; a custom environment uses production's unless overridden. */
export function oauthHostsFor(environment: LeverEnvironment): EnvironmentHosts {
  return environment === "custom" ? LEVER_ENVIRONMENTS.production : LEVER_ENVIRONMENTS[environment];
}
