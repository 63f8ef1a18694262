/**
 * A tenant's branding (docs/branding.md): product name, logo and accent colour, shown on the
 * portal, in notification mails and on the ticket PDF. The accent carries white text (buttons,
 * the mail's header bar), so it must keep WCAG 2.2's contrast of 4.5:1 for normal text against
 * white (SC 1.4.3); the hub refuses a colour below it and the admin page says so as it is typed.
 */

/** An accent as the hub stores it: `#rrggbb`, lower case. */
export const ACCENT_PATTERN = /^#[0-9a-f]{6}$/;

/** WCAG 2.2 SC 1.4.3 (Contrast, minimum): normal text. */
export const MIN_ACCENT_CONTRAST = 4.5;

/** The product's own name and accent when neither the tenant nor the hub's admin set one. */
export const DEFAULT_PRODUCT_NAME = 'Branchwatch';
// Mantine's indigo 7, the portal's indigo one shade darker: white text on indigo 6 is 4.3:1.
export const DEFAULT_ACCENT = '#4263eb';

/** Largest logo the hub keeps, bytes: a header logo, not a photo. */
export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** WCAG 2.2 relative luminance of an sRGB `#rrggbb`. */
export function relativeLuminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** The contrast ratio of white text on `hex` (1 to 21). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}
