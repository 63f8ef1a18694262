/** Mantine's `sm` breakpoint: below it a page lays itself out for a phone (cards, selects). */
export const PHONE = '(max-width: 48em)';
