import { ActionIcon, Indicator, Popover, ScrollArea } from '@mantine/core';
import { useState } from 'react';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import { BellIcon } from '../portal/icons';
import { countLabel, NotificationList } from './NotificationList';
import { useInbox } from './useInbox';

/**
 * The bell in the header with the number of unread notifications. In the portal it opens the
 * Notifications page; on the desk a panel with the list.
 */
export function NotificationBell({
  page,
  ticketPath,
}: {
  /** The page that lists them (the portal's tab); without it, a panel opens. */
  page?: string;
  ticketPath: (ticketId: string) => string;
}) {
  const { t, locale } = useI18n();
  const controls = useInbox();
  const [opened, setOpened] = useState(false);
  const unread = controls.inbox?.unread ?? 0;
  const label = unread === 0 ? t('inbox.title') : t('inbox.bell', { n: unread });
  const bell = (
    <Indicator
      label={countLabel(unread, locale)}
      size={18}
      disabled={unread === 0}
      color="red"
      offset={4}
      data-testid="bell-count"
    >
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={label}
        title={label}
        data-testid="bell"
        {...(page
          ? { component: 'a' as const, ...linkTo(page) }
          : { onClick: () => setOpened((o) => !o) })}
      >
        <BellIcon size={18} />
      </ActionIcon>
    </Indicator>
  );
  if (page) return bell;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} withinPortal>
      <Popover.Target>{bell}</Popover.Target>
      <Popover.Dropdown data-testid="bell-panel" maw="calc(100vw - 16px)">
        <ScrollArea.Autosize mah="70vh">
          <NotificationList
            controls={controls}
            ticketPath={(id) => {
              setOpened(false);
              return ticketPath(id);
            }}
          />
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
