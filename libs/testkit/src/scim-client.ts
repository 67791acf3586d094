export type ScimResponse<T = any> = { status: number; headers: Headers; body: T; elapsedMs: number };

/** A SCIM (or admin API) client that sends exactly what it is given, as an IdP would. */
export class ScimClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly userAgent = 'Okta SCIM Client 1.0.0',
    private readonly contentType = 'application/scim+json',
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResponse<T>> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'user-agent': this.userAgent,
        ...(body === undefined ? {} : { 'content-type': this.contentType }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      elapsedMs: performance.now() - started,
    };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }

  filterUsers(filter: string) {
    return this.get(`/Users?filter=${encodeURIComponent(filter)}`);
  }
}

export function oktaUser(userName: string, extra: Record<string, unknown> = {}) {
  const [given, family] = userName.split('@')[0].split('.');
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: given ?? 'Test', familyName: family ?? 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: `00u${Math.random().toString(36).slice(2, 12)}`,
    groups: [],
    password: 'never-stored-1!',
    active: true,
    ...extra,
  };
}
