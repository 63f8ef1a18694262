import {
  Button,
  Card,
  Group,
  MultiSelect,
  NativeSelect,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { FormAction } from '../../common/forms';
import { useI18n, type MessageKey } from '../../i18n';
import type { Named } from '../crud';
import { MAPPABLE_ROLES, MODES, type Kind, type RuleDraft } from './kinds';

/**
 * How a provider's answer becomes a role and branches: the mode, the role when no rule matches,
 * and the rules in order (docs/sso.md "Mapping roles and branches").
 */
export function MappingRules({
  form,
  kind,
  branches,
  mode,
  onMode,
  defaultRole,
  onDefaultRole,
  rules,
  onRules,
}: {
  form: FormAction;
  kind: Kind;
  branches: Named[];
  mode: string;
  onMode: (mode: string) => void;
  defaultRole: string;
  onDefaultRole: (role: string) => void;
  rules: RuleDraft[];
  onRules: (change: (rules: RuleDraft[]) => RuleDraft[]) => void;
}) {
  const { t } = useI18n();
  const roleLabel = (r: string) => t(`role.${r}` as MessageKey);
  return (
    <>
      <Title order={4} size="h5" mt="xs">
        {t('admin.sso.mapping')}
      </Title>
      <Text size="sm" c="dimmed">
        {t(`admin.sso.mappingHelp.${kind}` as MessageKey)}
      </Text>
      <Group grow align="flex-start">
        <NativeSelect
          label={t('admin.sso.mode')}
          description={t(`admin.sso.mode.${mode}Help` as MessageKey)}
          value={mode}
          onChange={(e) => onMode(e.currentTarget.value)}
          data={MODES.map((m) => ({ value: m, label: t(`admin.sso.mode.${m}` as MessageKey) }))}
          data-testid="provider-mode"
        />
        <NativeSelect
          label={t('admin.sso.defaultRole')}
          description={t('admin.sso.defaultRoleHelp')}
          value={defaultRole}
          onChange={(e) => onDefaultRole(e.currentTarget.value)}
          data={[
            { value: '', label: t('admin.sso.noAccess') },
            ...MAPPABLE_ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
          ]}
          data-testid="provider-default-role"
        />
      </Group>
      {rules.map((rule, i) => (
        <RuleRow
          key={i}
          index={i}
          form={form}
          rule={rule}
          kind={kind}
          branches={branches}
          onChange={(r) => onRules((all) => all.map((x, j) => (j === i ? r : x)))}
          onRemove={() => onRules((all) => all.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() =>
            onRules((all) => [
              ...all,
              { claim: 'groups', value: '', role: 'viewer', branchIds: [] },
            ])
          }
          data-testid="rule-add"
        >
          {t('admin.sso.addRule')}
        </Button>
      </Group>
    </>
  );
}

function RuleRow({
  index,
  form,
  rule,
  kind,
  branches,
  onChange,
  onRemove,
}: {
  index: number;
  form: FormAction;
  rule: RuleDraft;
  kind: Kind;
  branches: Named[];
  onChange: (r: RuleDraft) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  return (
    <Card withBorder padding="xs" data-testid="rule-row">
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t(kind === 'ldap' ? 'admin.sso.rule.attribute' : 'admin.sso.rule.claim')}
          value={rule.claim}
          onChange={(e) => onChange({ ...rule, claim: e.currentTarget.value })}
          dir="ltr"
          w={130}
          data-testid="rule-claim"
        />
        <TextInput
          label={t(kind === 'ldap' ? 'admin.sso.rule.group' : 'admin.sso.rule.value')}
          value={rule.value}
          onChange={(e) => onChange({ ...rule, value: e.currentTarget.value })}
          error={form.messageFor(`rules.${index}`)}
          dir="auto"
          style={{ flex: '1 1 160px' }}
          data-testid="rule-value"
        />
        <NativeSelect
          label={t('admin.sso.rule.role')}
          value={rule.role}
          onChange={(e) => onChange({ ...rule, role: e.currentTarget.value })}
          data={MAPPABLE_ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))}
          style={{ flex: '1 1 150px' }}
          data-testid="rule-role"
        />
        <MultiSelect
          label={t('admin.sso.rule.branches')}
          placeholder={rule.branchIds.length ? undefined : t('admin.sso.rule.allBranches')}
          value={rule.branchIds}
          onChange={(v) => onChange({ ...rule, branchIds: v })}
          data={branches.map((b) => ({ value: b.id, label: b.name }))}
          style={{ flex: '1 1 180px' }}
          data-testid="rule-branches"
        />
        <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
          {t('admin.remove')}
        </Button>
      </Group>
    </Card>
  );
}
