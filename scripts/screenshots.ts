// `npm run screenshots` (after `npm run build`): PNGs of a real run of the console into screenshots/. The work is
// in scripts/screenshots/: main.ts (cluster, demo, sessions), scenes.ts (the keys pressed), camera.ts (checks and
// capture), ansi-html.ts (tmux's coloured screen as HTML) and png.ts (headless Chromium).
import { main } from './screenshots/main.js';

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`screenshots: ${err.message}`);
    process.exit(1);
  },
);
