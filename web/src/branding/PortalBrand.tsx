import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { brandingApi, brandLogoUrl, type Brand } from '../api/brandingApi';

/**
 * The tenant's branding as the portal shows it (docs/branding.md): read once per visit; null
 * until it is known (the header shows the product's name meanwhile) or when the hub cannot be
 * asked (offline).
 */
export function usePortalBrand(): { brand: Brand | null; logoUrl: string | null } {
  const client = useApi();
  const api = useMemo(() => brandingApi(client), [client]);
  const [brand, setBrand] = useState<Brand | null>(null);
  useEffect(() => {
    let stopped = false;
    api.mine().then(
      (value) => !stopped && setBrand(value),
      () => undefined,
    );
    return () => {
      stopped = true;
    };
  }, [api]);
  useAccent(brand?.accentColor ?? null);
  return { brand, logoUrl: brand ? brandLogoUrl(brand) : null };
}

/**
 * The accent in place of the theme's indigo, while the portal is shown: Mantine's colour
 * variables of the primary colour (buttons, links, the selected tab, drawers opened from the
 * portal too). The hub checked that white text on it keeps 4.5:1.
 */
function useAccent(accent: string | null) {
  useEffect(() => {
    if (!accent || !/^#[0-9a-f]{6}$/.test(accent)) return;
    const hover = `color-mix(in srgb, ${accent} 85%, black)`;
    const light = `color-mix(in srgb, ${accent} 12%, transparent)`;
    const lightHover = `color-mix(in srgb, ${accent} 20%, transparent)`;
    const vars: Record<string, string> = {
      filled: accent,
      'filled-hover': hover,
      light,
      'light-hover': lightHover,
      'light-color': accent,
      outline: accent,
      'outline-hover': light,
    };
    const declarations = Object.entries(vars)
      .flatMap(([name, value]) => [
        `--mantine-color-indigo-${name}: ${value};`,
        `--mantine-primary-color-${name}: ${value};`,
      ])
      .join(' ');
    const style = document.createElement('style');
    style.dataset.portalAccent = '';
    // Above Mantine's own :root rules, for either colour scheme.
    style.textContent = `:root:root[data-mantine-color-scheme] { ${declarations} }`;
    document.head.append(style);
    return () => style.remove();
  }, [accent]);
}
