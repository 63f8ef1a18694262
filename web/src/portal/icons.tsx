// The bottom navigation's five glyphs, inline like the header's (web/src/layout/icons.tsx).
import { Glyph } from '../common/Glyph';

interface IconProps {
  size?: number;
}

/** One path in the shared frame, at the bottom navigation's size. */
const Path = ({ size = 22, d }: IconProps & { d: string }) => (
  <Glyph size={size}>
    <path d={d} />
  </Glyph>
);

export const HomeIcon = (p: IconProps) => (
  <Path {...p} d="M3 11l9-8 9 8M5 10v10h14V10M10 20v-6h4v6" />
);
export const TicketsIcon = (p: IconProps) => (
  <Path {...p} d="M4 5h16v4a3 3 0 0 0 0 6v4H4v-4a3 3 0 0 0 0-6zM9 9h6M9 15h6" />
);
export const PulseIcon = (p: IconProps) => <Path {...p} d="M3 12h4l3-7 4 14 3-7h4" />;
export const BellIcon = (p: IconProps) => (
  <Path {...p} d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0" />
);
export const PersonIcon = (p: IconProps) => (
  <Path {...p} d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0" />
);
export const CameraIcon = (p: IconProps) => (
  <Path {...p} d="M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z" />
);
