import { KindFields, type KindFormProps } from './KindFields';
import type { KindSpec } from './kinds';

/** LDAP or Active Directory: where the directory is, the service account, how people are found. */
export const LDAP: KindSpec = {
  fields: [
    { name: 'url' },
    { name: 'startTls', kind: 'switch' },
    { name: 'caPem', kind: 'long' },
    { name: 'bindDn' },
    { name: 'userBaseDn' },
    { name: 'userFilter' },
    { name: 'groupLookup', kind: 'choice' },
    { name: 'groupBaseDn' },
    { name: 'nestedGroups', kind: 'switch' },
    { name: 'emailAttribute' },
  ],
  defaults: {
    url: 'ldaps://',
    startTls: false,
    caPem: '',
    bindDn: '',
    userBaseDn: '',
    // Active Directory's names for a person: the logon name, the UPN, or the e-mail typed.
    userFilter:
      '(&(objectClass=person)(|(sAMAccountName={username})(userPrincipalName={username})(mail={username})))',
    groupLookup: 'memberOf',
    groupBaseDn: '',
    nestedGroups: true,
    emailAttribute: 'mail',
  },
  secret: { field: 'bindPassword', label: 'admin.sso.bindPassword' },
};

export function LdapForm(props: KindFormProps) {
  return <KindFields spec={LDAP} {...props} />;
}
