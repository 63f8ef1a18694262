import { Button, Drawer, Group, NavLink, Stack, useDirection } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { linkTo } from '../app/router';
import { useI18n, type MessageKey } from '../i18n';
import { MenuIcon } from '../layout/icons';
import type { Permission } from '@branchwatch/api';
import type { User } from '../api/types';
import { may } from '../session/access';

export const ADMIN_SECTIONS = [
  'branches',
  'agents',
  'tenants',
  'users',
  'sso',
  'security',
  'sla',
  'groups',
  'replies',
  'automation',
  'alerts',
  'maintenance',
  'channels',
  'privacy',
  'branding',
  'health',
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

/**
 * Sections only the hub's own admin can use (every tenant, the hub's health): a tenant admin's
 * menu does not offer them, where the hub would answer with its refusal.
 */
const SECTION_NEEDS: Partial<Record<AdminSection, Permission>> = {
  tenants: 'tenants.manage',
  health: 'tenants.manage',
  branding: 'branding.manage',
};

/** The sections this person's menu offers. */
export const sectionsFor = (user: User): AdminSection[] =>
  ADMIN_SECTIONS.filter((s) => {
    const needs = SECTION_NEEDS[s];
    return !needs || may(user, needs);
  });

function SectionLinks({
  section,
  sections,
  testIdPrefix,
  onPick,
}: {
  section: string;
  sections: readonly AdminSection[];
  testIdPrefix: string;
  onPick?: () => void;
}) {
  const { t } = useI18n();
  return sections.map((s) => {
    const link = linkTo(`/admin/${s}`);
    return (
      <NavLink
        key={s}
        component="a"
        label={t(`admin.section.${s}` as MessageKey)}
        active={section === s}
        data-testid={`${testIdPrefix}${s}`}
        href={link.href}
        onClick={(e) => {
          link.onClick(e);
          onPick?.();
        }}
      />
    );
  });
}

/**
 * The admin pages: a list of sections at the inline start, the section beside it. On a
 * narrow screen the list would leave the section a third of the width, so it moves into a
 * drawer that slides in from the inline start, opened by a button that names the section.
 */
export function AdminShell({
  section,
  user,
  children,
}: {
  section: string;
  user: User;
  children: ReactNode;
}) {
  const sections = sectionsFor(user);
  const { t } = useI18n();
  const { dir } = useDirection();
  const [drawer, setDrawer] = useState(false);
  const current = (ADMIN_SECTIONS as readonly string[]).includes(section)
    ? t(`admin.section.${section}` as MessageKey)
    : t('admin.sections');
  return (
    <Group align="flex-start" wrap="nowrap" gap="lg">
      <Stack
        gap={2}
        w={200}
        component="nav"
        aria-label={t('admin.sections')}
        style={{ flex: 'none' }}
        visibleFrom="md"
      >
        <SectionLinks section={section} sections={sections} testIdPrefix="admin-nav-" />
      </Stack>
      <Drawer
        opened={drawer}
        onClose={() => setDrawer(false)}
        position={dir === 'rtl' ? 'right' : 'left'}
        size={280}
        title={t('admin.sections')}
        data-testid="admin-drawer"
      >
        <Stack gap={2} component="nav" aria-label={t('admin.sections')}>
          <SectionLinks
            sections={sections}
            section={section}
            testIdPrefix="admin-drawer-"
            onPick={() => setDrawer(false)}
          />
        </Stack>
      </Drawer>
      <Stack gap="md" style={{ flex: 1, minWidth: 0 }}>
        <Button
          hiddenFrom="md"
          variant="default"
          justify="flex-start"
          leftSection={<MenuIcon />}
          onClick={() => setDrawer(true)}
          aria-label={`${t('admin.sections')}: ${current}`}
          data-testid="admin-sections"
          style={{ alignSelf: 'flex-start', maxWidth: '100%' }}
        >
          {current}
        </Button>
        {children}
      </Stack>
    </Group>
  );
}
