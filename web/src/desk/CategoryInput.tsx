import { Autocomplete } from '@mantine/core';
import { TICKET_CATEGORIES } from '@branchwatch/api';
import { useI18n, type MessageKey } from '../i18n';

/**
 * A ticket's category: one the desk offers, shown translated, or any other text. The value
 * kept is the offered category's code (`network`), which SLA policies match on.
 */
export function CategoryInput(props: {
  value: string;
  onChange: (value: string) => void;
  testId: string;
  error?: string;
}) {
  const { t } = useI18n();
  const offered = TICKET_CATEGORIES.map((c) => ({
    code: c,
    label: t(`category.${c}` as MessageKey),
  }));
  const shown = offered.find((c) => c.code === props.value)?.label ?? props.value;
  return (
    <Autocomplete
      label={t('desk.field.category')}
      data={offered.map((c) => c.label)}
      value={shown}
      onChange={(text) => props.onChange(offered.find((c) => c.label === text)?.code ?? text)}
      error={props.error}
      data-testid={props.testId}
    />
  );
}
