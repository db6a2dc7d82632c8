// Ableton Live's 70-colour clip/track palette (index → 0xRRGGBB), as Live 11 and 12 show it.
// Tracks in an arrangement carry an index into this table (`track.color`, 0–69).

export const LIVE_PALETTE = Object.freeze([
  0xFF94A6, 0xFFA529, 0xCC9927, 0xF7F47C, 0xBFFB00, 0x1AFF2F, 0x25FFA8,
  0x5CFFE8, 0x8BC5FF, 0x5480E4, 0x92A7FF, 0xD86CE4, 0xE553A0, 0xFFFFFF,
  0xFF3636, 0xF66C03, 0x99724B, 0xFFF034, 0x87FF67, 0x3DC300, 0x00BFAF,
  0x19E9FF, 0x10A4EE, 0x007DC0, 0x886CE4, 0xB677C6, 0xFF39D4, 0xD0D0D0,
  0xE2675A, 0xFFA374, 0xD3AD71, 0xEDFFAE, 0xD2E498, 0xBAD074, 0x9BC48D,
  0xD4FDE1, 0xCDF1F8, 0xB9C1E3, 0xCDBBE4, 0xAE98E5, 0xE5DCE1, 0xA9A9A9,
  0xC6928B, 0xB78256, 0x99836A, 0xBFBA69, 0xA6BE00, 0x7DB04D, 0x88C2BA,
  0x9BB3C4, 0x85A5C2, 0x8393CC, 0xA595B5, 0xBF9FBE, 0xBC7196, 0x7B7B7B,
  0xAF3333, 0xA95131, 0x724F41, 0xDBC300, 0x85961F, 0x539F31, 0x0A9C8E,
  0x236384, 0x1A2F96, 0x2F52A2, 0x624BAD, 0xA34BAD, 0xCC2E6E, 0x3C3C3C,
]);

const FALLBACK = 0xA9A9A9;

export function paletteInt(index) {
  const i = Number(index);
  return Number.isInteger(i) && i >= 0 && i < LIVE_PALETTE.length ? LIVE_PALETTE[i] : FALLBACK;
}

export function paletteRgb(index) {
  const c = paletteInt(index);
  return [(c >> 16) & 255, (c >> 8) & 255, c & 255];
}

export function paletteHex(index) {
  return '#' + paletteInt(index).toString(16).padStart(6, '0');
}

export function paletteRgba(index, alpha) {
  const [r, g, b] = paletteRgb(index);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Black or white, whichever reads better on the palette colour. */
export function textOn(index) {
  const [r, g, b] = paletteRgb(index).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.22 ? '#111' : '#fff';
}
