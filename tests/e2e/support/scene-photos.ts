// Real JPEGs that look like photos (sky, sun, hills), drawn as SVG and encoded by sharp.
import sharp from 'sharp';

const PALETTES = [
  ['#87b5e5', '#f6d186', '#3f7d4e', '#2d5a3a'],
  ['#f4a261', '#fff1c1', '#7b6d8d', '#4a4063'],
  ['#1d3557', '#f1faee', '#457b9d', '#213d5a'],
  ['#ffb4a2', '#fff3b0', '#6d9886', '#395b50'],
  ['#a8dadc', '#ffd6a5', '#84a98c', '#52796f'],
  ['#cdb4db', '#ffe5ec', '#6b705c', '#3f4238'],
] as const;

/** A landscape-like scene, `seed` picking colours and layout. */
export function sceneSvg(width: number, height: number, seed: number): string {
  const [sky, sun, hill, far] = PALETTES[seed % PALETTES.length] ?? PALETTES[0];
  const sunX = Math.round(width * (0.2 + ((seed * 37) % 60) / 100));
  const sunY = Math.round(height * 0.3);
  const r = Math.round(Math.min(width, height) * 0.12);
  const h1 = Math.round(height * (0.55 + ((seed * 13) % 15) / 100));
  const h2 = Math.round(height * 0.75);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="#ffffff"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#s)"/>
    <circle cx="${sunX}" cy="${sunY}" r="${r}" fill="${sun}"/>
    <path d="M0 ${h1} Q ${width * 0.3} ${h1 - height * 0.2} ${width * 0.6} ${h1} T ${width} ${h1 - height * 0.05} V ${height} H 0 Z" fill="${far}"/>
    <path d="M0 ${h2} Q ${width * 0.4} ${h2 - height * 0.15} ${width} ${h2 + height * 0.02} V ${height} H 0 Z" fill="${hill}"/>
  </svg>`;
}

export function sceneJpeg(width: number, height: number, seed: number, quality = 82) {
  return sharp(Buffer.from(sceneSvg(width, height, seed)))
    .jpeg({ quality })
    .toBuffer();
}
