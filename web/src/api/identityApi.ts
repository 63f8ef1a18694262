import type { ApiClient } from './client';
import type { ApiAnswer, ApiBody, ItemList } from './types';

// Users, roles, tenants and 2FA (hub/src/identity), typed from the generated API types.

export { ROLES } from '@branchwatch/api';
export type Tenant = ApiAnswer<'/api/v1/tenants', 'get'>['items'][number];
export type AdminUser = ApiAnswer<'/api/v1/users', 'get'>['items'][number];
export type NewUser = ApiBody<'/api/v1/users', 'post'>;
export type UserChange = ApiBody<'/api/v1/users/{id}', 'patch'>;
/** What enrolling a second factor starts with: the secret as an otpauth URL and a QR code. */
/** The hub's background jobs and outbox (global admins; docs/hub.md "The hub watches itself"). */
export type HubHealth = ApiAnswer<'/api/v1/system/health', 'get'>;
export type HubJob = HubHealth['jobs'][number];
export type TotpSetup = ApiAnswer<'/api/v1/auth/2fa/enrol', 'post'>;
export type PasswordPolicy = ApiAnswer<'/api/v1/password-policy', 'get'>['policy'];
export type ScimToken = ApiAnswer<'/api/v1/scim/tokens', 'get'>['items'][number];
/** A tenant's retention and what the retention job would remove now (docs/privacy.md). */
export type RetentionPreview = ApiAnswer<'/api/v1/retention', 'get'>;
export type RetentionChange = ApiBody<'/api/v1/retention', 'put'>;
export type Erasure = ApiAnswer<'/api/v1/users/{id}/erase', 'post'>;
export type SessionRow = ApiAnswer<'/api/v1/auth/sessions', 'get'>['items'][number];

export type IdentityProvider = ApiAnswer<'/api/v1/identity-providers', 'get'>['items'][number];
export type ProviderInput = ApiBody<'/api/v1/identity-providers', 'post'>;
export type ProviderTest = ApiAnswer<'/api/v1/identity-providers/{id}/test', 'post'>;
export type ProviderTestResult = ApiAnswer<
  '/api/v1/identity-providers/{id}/test-results/{result}',
  'get'
>['result'];
export type SignInSettings = ApiAnswer<'/api/v1/sign-in-settings', 'get'>['settings'];

export function identityApi(api: ApiClient) {
  const items = async <T>(path: string) => (await api.send<ItemList<T>>('GET', path)).items;
  return {
    tenants: () => items<Tenant>('/api/v1/tenants'),
    hubHealth: () => api.send<HubHealth>('GET', '/api/v1/system/health'),
    createTenant: (input: { slug: string; name: string }) =>
      api.send<unknown>('POST', '/api/v1/tenants', input),
    renameTenant: (tenantId: string, name: string) =>
      api.send<unknown>('PATCH', `/api/v1/tenants/${encodeURIComponent(tenantId)}`, { name }),
    /** 409 BW_ERR_TENANT_IN_USE while it holds branches, users or tickets. */
    deleteTenant: (tenantId: string) =>
      api.send<void>('DELETE', `/api/v1/tenants/${encodeURIComponent(tenantId)}`),
    users: () => items<AdminUser>('/api/v1/users'),
    /** The tenant's password policy; a global admin names the tenant (null: global users). */
    passwordPolicy: async (tenantId: string | null) =>
      (
        await api.send<{ policy: PasswordPolicy }>(
          'GET',
          `/api/v1/password-policy${tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : ''}`,
        )
      ).policy,
    setPasswordPolicy: (policy: PasswordPolicy) =>
      api.send<unknown>('PUT', '/api/v1/password-policy', policy),
    retention: (tenantId: string | null) =>
      api.send<RetentionPreview>(
        'GET',
        `/api/v1/retention${tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : ''}`,
      ),
    setRetention: (change: RetentionChange) =>
      api.send<RetentionPreview>('PUT', '/api/v1/retention', change),
    /** Everything the hub holds about a person, as the JSON file it is handed over as. */
    personalData: (userId: string) =>
      api.send<Record<string, unknown>>(
        'GET',
        `/api/v1/users/${encodeURIComponent(userId)}/personal-data`,
      ),
    erasePerson: (userId: string, dryRun: boolean) =>
      api.send<Erasure>('POST', `/api/v1/users/${encodeURIComponent(userId)}/erase`, { dryRun }),
    /** The tenant's SCIM tokens (never the tokens themselves). */
    scimTokens: () => items<ScimToken>('/api/v1/scim/tokens'),
    /** A new SCIM token, shown in this answer only. */
    createScimToken: (input: { name: string; tenantId?: string }) =>
      api.send<{ token: { id: string; token: string } }>('POST', '/api/v1/scim/tokens', input),
    revokeScimToken: (id: string) =>
      api.send<void>('DELETE', `/api/v1/scim/tokens/${encodeURIComponent(id)}`),
    /** The tenant's sign-in providers (OpenID Connect, SAML, LDAP); never their secrets. */
    providers: () => items<IdentityProvider>('/api/v1/identity-providers'),
    createProvider: (input: ProviderInput) =>
      api.send<unknown>('POST', '/api/v1/identity-providers', input),
    changeProvider: (id: string, input: ProviderInput) =>
      api.send<unknown>('PUT', `/api/v1/identity-providers/${encodeURIComponent(id)}`, input),
    deleteProvider: (id: string) =>
      api.send<void>('DELETE', `/api/v1/identity-providers/${encodeURIComponent(id)}`),
    /** LDAP: signs a test person in and shows what they would map to; changes nothing. */
    testProvider: (id: string, username: string, password: string) =>
      api.send<ProviderTest>('POST', `/api/v1/identity-providers/${encodeURIComponent(id)}/test`, {
        username,
        password,
      }),
    /** OpenID Connect or SAML: the provider's sign-in address for an admin's test sign-in. */
    startTestSignIn: (id: string) =>
      api.send<{ url: string }>(
        'POST',
        `/api/v1/identity-providers/${encodeURIComponent(id)}/test-sign-in`,
      ),
    /** SAML: new signing and encryption certificates for the hub's side of the provider. */
    rotateSamlKeys: (id: string) =>
      api.send<{ provider: IdentityProvider }>(
        'POST',
        `/api/v1/identity-providers/${encodeURIComponent(id)}/saml-keys/rotate`,
      ),
    /** What the admin's own test sign-in received, and what it would map to. */
    testResult: async (id: string, result: string) =>
      (
        await api.send<{ result: ProviderTestResult }>(
          'GET',
          `/api/v1/identity-providers/${encodeURIComponent(id)}/test-results/${encodeURIComponent(result)}`,
        )
      ).result,
    signInSettings: async (tenantId: string | null) =>
      (
        await api.send<{ settings: SignInSettings }>(
          'GET',
          `/api/v1/sign-in-settings${tenantId ? `?tenantId=${encodeURIComponent(tenantId)}` : ''}`,
        )
      ).settings,
    setSignInSettings: (settings: SignInSettings) =>
      api.send<unknown>('PUT', '/api/v1/sign-in-settings', settings),
    /** A user's live sessions (an admin's tool: the user's tenant only). */
    sessionsOf: (userId: string) =>
      items<SessionRow>(`/api/v1/auth/sessions?userId=${encodeURIComponent(userId)}`),
    endSession: (sessionId: string) =>
      api.send<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(sessionId)}`),
    createUser: (input: NewUser) => api.send<unknown>('POST', '/api/v1/users', input),
    changeUser: (userId: string, change: UserChange) =>
      api.send<unknown>('PATCH', `/api/v1/users/${encodeURIComponent(userId)}`, change),
    /** The signed-in user's own password; ends their other sessions and their API tokens. */
    changePassword: (currentPassword: string, newPassword: string) =>
      api.send<void>('POST', '/api/v1/auth/password', { currentPassword, newPassword }),
    /** For the signed-in user: starts enrolment; confirmed with a code from the app. */
    startTotp: (): Promise<TotpSetup> => api.send<TotpSetup>('POST', '/api/v1/auth/2fa/enrol'),
    totpStatus: () =>
      api.send<{ enabled: boolean; recoveryCodesLeft: number }>('GET', '/api/v1/auth/2fa'),
    /** Turns 2FA on; answers the recovery codes, which the hub shows this once. */
    confirmTotp: async (code: string) =>
      (
        await api.send<{ enabled: boolean; recoveryCodes: string[] }>(
          'POST',
          '/api/v1/auth/2fa/confirm',
          { code },
        )
      ).recoveryCodes,
  };
}
