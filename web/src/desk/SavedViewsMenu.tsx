import { ActionIcon, Button, Group, Menu, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { href, navigate } from '../app/router';
import { useI18n } from '../i18n';
import { loadViews, storeViews, withView, withoutView, type SavedView } from './savedViews';

/** Saved queue views, kept in this browser's localStorage for the signed-in user. */
export function SavedViewsMenu({ userId, search }: { userId: string; search: string }) {
  const { t } = useI18n();
  const [views, setViews] = useState<SavedView[]>(() => loadViews(window.localStorage, userId));
  const [name, setName] = useState('');
  const update = (next: SavedView[]) => {
    storeViews(window.localStorage, userId, next);
    setViews(next);
  };
  return (
    <Menu closeOnItemClick={false} position="bottom-end" width={280} withinPortal>
      <Menu.Target>
        <Button variant="default" data-testid="views-menu">
          {t('desk.views.label')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {views.length === 0 && (
          <Text size="sm" c="dimmed" px="sm" py={4}>
            {t('desk.views.none')}
          </Text>
        )}
        {views.map((view) => (
          <Group key={view.name} gap={4} wrap="nowrap">
            <Menu.Item
              onClick={() => navigate(view.search ? `/tickets?${view.search}` : href('/tickets'))}
              data-testid="saved-view"
            >
              {view.name}
            </Menu.Item>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t('desk.views.delete', { name: view.name })}
              onClick={() => update(withoutView(views, view.name))}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Menu.Divider />
        <Group gap="xs" p="xs" wrap="nowrap" align="end">
          <TextInput
            size="xs"
            label={t('desk.views.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="view-name"
          />
          <Button
            size="xs"
            disabled={name.trim() === ''}
            onClick={() => {
              update(withView(views, name, search));
              setName('');
            }}
            data-testid="view-save"
          >
            {t('desk.views.save')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" px="sm" pb={4}>
          {t('desk.views.where')}
        </Text>
      </Menu.Dropdown>
    </Menu>
  );
}
