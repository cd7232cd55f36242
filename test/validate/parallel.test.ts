// The proof on a worker thread (src/validate/parallel.ts with the bundle's dist/validate-worker.js)
// says exactly what the in-thread proof says: nothing for the backend's own rules.v4, the same
// problems for a broken one; a validator that throws on the worker rejects (the compile reports an
// internal error); a cancelled proof leaves nothing behind. And the CLI's output is the same with the
// worker forced on and off.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledWorker, startValidation } from '../../src/validate/parallel.js';
import { validateRulesets } from '../../src/validate/rulesets.js';
import type { Policy } from '../../src/ir/types.js';
import { mutPolicy } from './mutation-policy.js';
import { backendOutput, deleteLine } from './support.js';
import { ROOT, tierwall } from '../support/cli.js';

const WORKER = new URL('../../dist/validate-worker.js', import.meta.url);
const policy = mutPolicy();
const { text } = backendOutput(policy);
// The web -> db pair chain loses a line: the proof must fail, the same way on both threads.
const broken = deleteLine(text, /^-A TW-MUT_P0-2 /m);

const saved = process.env['TIERWALL_VALIDATE_WORKER'];
afterEach(() => {
  if (saved === undefined) delete process.env['TIERWALL_VALIDATE_WORKER'];
  else process.env['TIERWALL_VALIDATE_WORKER'] = saved;
});

describe('translation validation on a worker thread', () => {
  it('has the bundle to test (npm test builds it first)', () => {
    expect(existsSync(WORKER)).toBe(true);
    // Under src/ (no esbuild define) the compile never finds a worker by itself.
    expect(bundledWorker()).toBeUndefined();
  });

  it('answers as the in-thread proof does, for a good and a broken ruleset', async () => {
    process.env['TIERWALL_VALIDATE_WORKER'] = 'always';
    for (const rules of [text, broken]) {
      const pending = startValidation(policy, rules, undefined, WORKER);
      expect(pending.onWorker).toBe(true);
      expect(await pending.result()).toEqual(validateRulesets(policy, rules, undefined));
    }
    expect(validateRulesets(policy, broken, undefined).map((d) => d.code)).toContain('validation-failed');
  });

  it('stays in-thread below the size rule and when told never', async () => {
    delete process.env['TIERWALL_VALIDATE_WORKER'];
    expect(startValidation(policy, text, undefined, WORKER).onWorker).toBe(false); // a few KB
    process.env['TIERWALL_VALIDATE_WORKER'] = 'never';
    expect(startValidation(policy, text, undefined, WORKER).onWorker).toBe(false);
  });

  it('falls back to the in-thread proof when the policy cannot be copied to the thread', async () => {
    process.env['TIERWALL_VALIDATE_WORKER'] = 'always';
    const odd = { ...policy, uncopyable: () => 0 } as unknown as Policy;
    const pending = startValidation(odd, broken, undefined, WORKER);
    expect(pending.onWorker).toBe(false);
    expect(await pending.result()).toEqual(validateRulesets(policy, broken, undefined));
  });

  it('rejects when the validator throws on the worker, and a cancelled proof is simply gone', async () => {
    process.env['TIERWALL_VALIDATE_WORKER'] = 'always';
    const bad = { ...policy, tiers: undefined } as unknown as Policy;
    await expect(startValidation(bad, text, undefined, WORKER).result()).rejects.toThrow(/validator \(worker thread\)/);
    startValidation(policy, text, undefined, WORKER).cancel();
  });

  // An example, and a dual-stack policy (its rules.v6 goes through the proof too).
  const DUAL = `policy dual;
tier web 10.61.1.0/24 ipv6 fd00:61:1::/64;
tier app 10.61.2.0/24 ipv6 fd00:61:2::/112 isolated;
tier legacy 10.61.4.0/24;
allow web -> app tcp/8080, icmp;
allow world -> web tcp/15480;
allow web -> world tcp/443;
default deny;
`;
  it.each([
    ['web-platform', join(ROOT, 'policies/web-platform.policy'), undefined],
    ['a dual-stack policy', '-', DUAL],
  ])('the CLI writes the same artifacts and says the same with the worker forced on and off: %s', (_, file, input) => {
    const dirs = ['always', 'never'].map((mode) => {
      const out = mkdtempSync(join(tmpdir(), `tw-par-${mode}-`));
      const r = tierwall(['compile', file!, '-o', out], { input, env: { TIERWALL_VALIDATE_WORKER: mode } });
      return { out, r };
    });
    try {
      const [on, off] = dirs;
      expect(on!.r.status).toBe(off!.r.status);
      expect(on!.r.stderr.replace(on!.out, 'OUT')).toBe(off!.r.stderr.replace(off!.out, 'OUT'));
      expect(off!.r.status).toBe(0);
      const files = readdirSync(off!.out, { recursive: true }).map(String).sort();
      expect(files).toContain(input ? 'rules.v6' : 'rules.v4');
      expect(readdirSync(on!.out, { recursive: true }).map(String).sort()).toEqual(files);
      for (const f of files.filter((x) => statSync(join(off!.out, x)).isFile())) {
        expect(readFileSync(join(on!.out, f), 'utf8'), f).toBe(readFileSync(join(off!.out, f), 'utf8'));
      }
    } finally {
      for (const d of dirs) rmSync(d.out, { recursive: true, force: true });
    }
  });
});
