// `npm run gen:deploy`: writes deploy/kustomize and deploy/helm/driftdeck from source/agent/install.ts (see
// source/agent/deploy-files.ts). `--check` writes nothing and fails when deploy/ differs, naming the files.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { deployFiles } from '../source/agent/deploy-files.js';

const root = join(import.meta.dirname, '..');
const deploy = join(root, 'deploy');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const wanted = deployFiles(version);

function onDisk(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(deploy, full));
    }
  };
  try {
    walk(dir);
  } catch {
    // no deploy/ yet
  }
  return out.sort();
}

if (process.argv.includes('--check')) {
  const differing = [...wanted].filter(([path, text]) => {
    try {
      return readFileSync(join(deploy, path), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  const extra = onDisk(deploy).filter((path) => !wanted.has(path));
  if (differing.length || extra.length) {
    console.error(
      `deploy/ differs from source/agent/install.ts: ${[...differing.map(([p]) => p), ...extra].join(', ')}`,
    );
    console.error('run `npm run gen:deploy`');
    process.exit(1);
  }
  console.log('deploy/ is up to date');
} else {
  for (const path of onDisk(deploy)) if (!wanted.has(path)) rmSync(join(deploy, path));
  for (const [path, text] of wanted) {
    mkdirSync(dirname(join(deploy, path)), { recursive: true });
    writeFileSync(join(deploy, path), text);
  }
  console.log(`wrote ${wanted.size} files under deploy/`);
}
