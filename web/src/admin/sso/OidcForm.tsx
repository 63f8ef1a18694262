import { KindFields, type KindFormProps } from './KindFields';
import type { KindSpec } from './kinds';

/** OpenID Connect: the issuer (discovery), the client, and the claims read. */
export const OIDC: KindSpec = {
  fields: [
    { name: 'issuer' },
    { name: 'clientId' },
    { name: 'groupsClaim' },
    { name: 'emailClaim' },
  ],
  defaults: { issuer: '', clientId: '', groupsClaim: 'groups', emailClaim: 'email' },
  secret: { field: 'clientSecret', label: 'admin.sso.clientSecret' },
};

export function OidcForm(props: KindFormProps) {
  return <KindFields spec={OIDC} {...props} />;
}
