import { KindFields, type KindFormProps } from './KindFields';
import type { KindSpec } from './kinds';

/** SAML 2.0: the identity provider's metadata and the attributes read; no secret. */
export const SAML: KindSpec = {
  fields: [
    { name: 'idpMetadataXml', kind: 'long' },
    { name: 'groupsAttribute' },
    { name: 'emailAttribute' },
  ],
  defaults: { idpMetadataXml: '', groupsAttribute: 'groups', emailAttribute: 'email' },
};

export function SamlForm(props: KindFormProps) {
  return <KindFields spec={SAML} {...props} />;
}
