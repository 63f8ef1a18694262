import { Group, NavLink, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { linkTo } from '../app/router';
import { useI18n, type MessageKey } from '../i18n';

export const ADMIN_SECTIONS = [
  'branches',
  'agents',
  'tenants',
  'users',
  'sla',
  'alerts',
  'maintenance',
  'channels',
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/** The admin pages: a list of sections at the inline start, the section beside it. */
export function AdminShell({ section, children }: { section: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Group align="flex-start" wrap="nowrap" gap="lg">
      <Stack
        gap={2}
        w={200}
        component="nav"
        aria-label={t('admin.sections')}
        style={{ flex: 'none' }}
      >
        {ADMIN_SECTIONS.map((s) => (
          <NavLink
            key={s}
            component="a"
            label={t(`admin.section.${s}` as MessageKey)}
            active={section === s}
            data-testid={`admin-nav-${s}`}
            {...linkTo(`/admin/${s}`)}
          />
        ))}
      </Stack>
      <Stack gap="md" style={{ flex: 1, minWidth: 0 }}>
        {children}
      </Stack>
    </Group>
  );
}
