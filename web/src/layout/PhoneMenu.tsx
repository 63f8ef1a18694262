import { Burger, Menu } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../api/types';
import { useNotifyApi } from '../common/useLoad';
import { linkTo } from '../app/router';
import { LANGUAGES, useI18n, type Language, type MessageKey } from '../i18n';
import { chooseLanguage } from '../i18n/LanguageSync';
import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';

interface PhoneMenuProps {
  user: User;
  nav: readonly {
    page: string;
    to: string;
    label: MessageKey;
  }[];
  onSettings: () => void;
  onLogout: () => void;
}

/**
 * On a phone the header holds the name and this menu: the pages, the language, My settings,
 * the colour scheme and logging out, which do not fit beside each other at 390 px.
 */
export function PhoneMenu({ user, nav, onSettings, onLogout }: PhoneMenuProps) {
  const { t, language } = useI18n();
  const api = useNotifyApi();
  const [opened, setOpened] = useState(false);
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false });
  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" width={240} withinPortal>
      <Menu.Target>
        <Burger opened={opened} size="sm" aria-label={t('header.menu')} data-testid="header-menu" />
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label data-testid="menu-user">
          {t('header.userRole', { username: user.username, role: t(`role.${user.role}`) })}
        </Menu.Label>
        {nav.map((item) => (
          <Menu.Item
            key={item.page}
            component="a"
            data-testid={`menu-nav-${item.page}`}
            {...linkTo(item.to)}
          >
            {t(item.label)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={onSettings} data-testid="menu-my-settings">
          {t('profile.open')}
        </Menu.Item>
        <Menu.Item
          onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
          data-testid="menu-color-scheme"
        >
          {scheme === 'dark' ? t('header.toLight') : t('header.toDark')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((l: Language) => (
          <Menu.Item
            key={l}
            disabled={l === language}
            onClick={() => void chooseLanguage(api, l).catch(() => undefined)}
            data-testid={`menu-language-${l}`}
          >
            {t(`language.${l}`)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item color="red" onClick={onLogout} data-testid="menu-logout">
          {t('header.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
