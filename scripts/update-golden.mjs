// Regenerates out/<policy>/ for every example in policies/ with the built CLI (npm run build
// first). The golden test fails when out/ is stale, so review `git diff out/` after running this.
import { readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

for (const f of readdirSync('policies').filter((x) => x.endsWith('.policy')).sort()) {
  const name = f.replace(/\.policy$/, '');
  for (const [target, dir] of [['docker', `out/${name}`], ['k8s', `out/${name}/k8s-target`], ['monitoring', `out/${name}/monitoring-target`]]) {
    if (target === 'docker') rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, ['bin/tierwall.js', 'compile', `policies/${f}`, '-o', dir, '--target', target], { stdio: 'inherit' });
    if (r.status !== 0 && target === 'docker') process.exit(r.status ?? 1);
  }
}
