// `npm test`: type-check, build the bundled CLI, install the system packages the kernel and
// Docker tests need (root only; in CI a missing prerequisite fails the run), then run vitest.
// Extra arguments go to vitest: `npm test -- test/syntax`.
import { spawnSync } from 'node:child_process';

function run(cmd, args, what) {
  process.stdout.write(`\n== ${what}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`npm test: ${what} failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status || 1);
  }
}

const isRoot = process.getuid?.() === 0;
run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], 'type-check (tsc)');
run('node', ['scripts/build.mjs'], 'build (esbuild bundle)');
if (isRoot) {
  run('bash', ['scripts/setup-system.sh'], 'system packages for kernel and Docker tests');
  // The tests read this: once the setup succeeded, a missing tool is a failure, not a skip.
  process.env.TIERWALL_SYSTEM_READY = '1';
} else if (process.env.CI) {
  process.stderr.write('npm test: CI must run as root (kernel and Docker tests need network namespaces)\n');
  process.exit(1);
} else {
  process.stdout.write('\nnote: not root: kernel and Docker tests will be skipped\n');
}
run('npx', ['vitest', 'run', ...process.argv.slice(2)], 'vitest');
