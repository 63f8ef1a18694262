import { Badge, Card, Table, createTheme } from '@mantine/core';

// Calm by default: one accent colour, compact tables, light badges. State colours live in
// ./stateColors so the meaning of a colour is decided in one place.
export const theme = createTheme({
  primaryColor: 'indigo',
  // Indigo 6, Mantine's default, gives white button text 4.3:1; 7 keeps the 4.5:1 of WCAG 2.2
  // SC 1.4.3, the bar a tenant's own accent must clear too (docs/branding.md).
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  components: {
    Table: Table.extend({
      defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' },
    }),
    // Lower-case badges: quieter in dense tables, and Persian has no capitals anyway. A badge
    // is never narrower than its text: in an auto-sized table cell it would be cut to "in pro…".
    Badge: Badge.extend({
      defaultProps: { variant: 'light', radius: 'sm', tt: 'none', miw: 'max-content' },
    }),
    Card: Card.extend({ defaultProps: { withBorder: true, radius: 'md', padding: 'md' } }),
  },
});
