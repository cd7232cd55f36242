// test/support: may a test skip because a system tool is missing? Not in CI, and not under `npm test`
// after scripts/setup-system.sh succeeded (it sets TIERWALL_SYSTEM_READY=1): there a missing tool
// means the setup is incomplete, and skipping would hide it on a new machine.
export function mustHaveSystem(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1' || process.env.TIERWALL_SYSTEM_READY === '1';
}
