// The few icons the UI needs, inline, rather than an icon library for a handful of glyphs.
import { Glyph } from '../common/Glyph';

interface IconProps {
  size?: number;
}

export const SunIcon = ({ size = 18 }: IconProps) => (
  <Glyph size={size}>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </Glyph>
);

export const MoonIcon = ({ size = 18 }: IconProps) => (
  <Glyph size={size}>
    <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
  </Glyph>
);

export const MenuIcon = ({ size = 18 }: IconProps) => (
  <Glyph size={size}>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </Glyph>
);
