import { MAX_PAGE_SIZE } from './paging.js';

export const SERVICE_PROVIDER_CONFIG_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/**
 * The `/ServiceProviderConfig` resource (RFC 7643 §5). IdPs and validators plan their requests from it, so every
 * flag states what the gateway really does: an advertised feature that then fails breaks a provisioning cycle.
 */
export function renderServiceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA_URN],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    // Members sign in through their IdP's SSO; Roster never stores a password, so there is none to change.
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "Authentication with the tailnet's SCIM bearer token",
        primary: true,
      },
      {
        type: 'httpbasic',
        name: 'HTTP Basic',
        description: "Any user name, with the tailnet's SCIM token as the password (Okta's Basic Auth option)",
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
