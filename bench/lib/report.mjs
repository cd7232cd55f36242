// bench: RESULTS.md and the printed summary. Input: the run's data (bench/.work/results.json has the
// same). Output: markdown tables, one per question, and goal verdicts (PASS/FAIL) on median wall
// time, with the verdict on CPU time next to it (the machine is shared: wall time includes waiting).
import { stats } from './measure.mjs';

const ms = (x) => (!Number.isFinite(x) ? '-' : x < 1000 ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : `${(x / 1000).toFixed(x < 10000 ? 2 : 1)} s`);
const mb = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : '-');
const bytes = (b) => (!Number.isFinite(b) ? '-' : b === 0 ? '0 KB' : b < 2 ** 20 ? `${Math.max(1, Math.round(b / 1024))} KB` : `${(b / 2 ** 20).toFixed(1)} MB`);
const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const ratio = (x) => (Number.isFinite(x) ? `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}x` : '-');

const ok = (runs) => (runs ?? []).filter((r) => r.code === 0);
const wall = (runs) => stats(ok(runs).map((r) => r.wallMs));
const cpu = (runs) => stats(ok(runs).map((r) => r.cpuMs));
const rss = (runs) => stats(ok(runs).map((r) => r.rssMB));
const failures = (runs) => (runs ?? []).filter((r) => r.code !== 0);
/**
 * A tool's result at a size: the median of a measure (v) and its text; when no run succeeded,
 * v is Infinity (slower than any goal) and the text says why: timed out or crashed.
 */
function result(runs, pick = wall) {
  const s = pick(runs);
  if (s.n > 0) return { v: s.median, text: ms(s.median) };
  const bad = failures(runs)[0];
  if (!bad) return { v: NaN, text: 'not measured' };
  if (bad.timedOut) return { v: Infinity, text: bad.failure };
  const why = /internal error: ([^|]*)/.exec(bad.failure ?? '')?.[1]?.trim() ?? bad.failure ?? `exit ${bad.code}`;
  return { v: Infinity, text: `crashed: ${why}` };
}

/** `1.23 s [1.10 s - 1.50 s]`, or the failure. */
function cell(runs, pick = wall) {
  const s = pick(runs);
  const bad = failures(runs);
  if (s.n === 0) return bad.length ? `**${result(runs, pick).text}**` : '-';
  const spread = s.n > 1 ? ` [${ms(s.min)}-${ms(s.max)}]` : '';
  return `${ms(s.median)}${spread}${bad.length ? ` (${bad.length} failed)` : ''}`;
}

const verdict = (pass) => (pass === undefined ? 'n/a' : pass ? 'PASS' : 'FAIL');

/** a / b of two results, as text: a ratio, or what kept one of them from finishing. */
function ratioText(a, b) {
  if (Number.isFinite(a.v) && Number.isFinite(b.v)) return ratio(a.v / b.v);
  if (!Number.isFinite(a.v) && !Number.isFinite(b.v)) return `- (${a.text}; ${b.text})`;
  return Number.isFinite(a.v) ? `- (peer ${b.text})` : `- (${a.text})`;
}

/** Every goal: { goal, measured, pass (on median wall time), cpuMeasured, cpuPass }. */
export function goals(data) {
  const out = [];
  const by = new Map(data.sizes.map((s) => [s.size.label, s]));
  const all = (xs) => (xs.length === 0 || xs.some((x) => x === undefined) ? undefined : xs.every(Boolean));
  /** a <= limit; a tool that never finished fails; unknown stays undefined. */
  const within = (a, limit) => (a === Infinity ? false : Number.isFinite(a) ? a <= limit : undefined);
  const rel = (a, b) => (a.v === Infinity ? Infinity : a.v / b.v);

  for (const [peer, factor, name] of [
    ['ferm', 1, 'compile <= ferm at every size'],
    ['capirca', 3, 'compile >= 3x faster than Capirca at every size'],
  ]) {
    const per = data.sizes.map((s) => {
      const [tw, p, twc, pc] = [result(s.runs.compile), result(s.runs[peer]), result(s.runs.compile, cpu), result(s.runs[peer], cpu)];
      return { label: s.size.label, w: rel(tw, p), c: rel(twc, pc), text: ratioText(tw, p), ctext: ratioText(twc, pc) };
    });
    out.push({
      goal: name,
      measured: `${per.map((p) => `${p.label}: ${p.text}`).join(', ')} (tierwall/${peer}; goal <= ${ratio(1 / factor)})`,
      pass: all(per.map((p) => within(p.w, 1 / factor))),
      cpuMeasured: per.map((p) => `${p.label}: ${p.ctext}`).join(', '),
      cpuPass: all(per.map((p) => within(p.c, 1 / factor))),
    });
  }

  const big = by.get('1000x100000');
  for (const tool of ['check', 'compile']) {
    const w = big ? result(big.runs[tool]) : undefined;
    const c = big ? result(big.runs[tool], cpu) : undefined;
    out.push({
      goal: `1,000 x 100,000: ${tool} < 2 s`,
      measured: w ? w.text : 'not measured',
      pass: w ? within(w.v, 2000) : undefined,
      cpuMeasured: c ? c.text : '',
      cpuPass: c ? within(c.v, 2000) : undefined,
    });
  }
  // Peak RSS over every run: a crashed run's peak counts (it got that far), and so does a run
  // stopped at the timeout (TERM: GNU time still sees it), as a lower bound. A run killed by KILL
  // reports only timeout's own few MB and is left out.
  const measured = (r) => Number.isFinite(r.rssMB) && !(r.timedOut && r.code === 137);
  const peakOf = (runs) => {
    const rs = (runs ?? []).filter(measured);
    if (rs.length === 0) return undefined;
    const top = rs.reduce((a, b) => (b.rssMB > a.rssMB ? b : a));
    return { v: top.rssMB, text: `${top.timedOut ? '>= ' : ''}${mb(top.rssMB)}${top.timedOut ? ' (at the timeout)' : top.code ? ' (then crashed)' : ''}` };
  };
  const peaks = big ? ['check', 'compile'].map((t) => [t, peakOf(big.runs[t])]).filter(([, p]) => p) : [];
  const worst = peaks.length ? Math.max(...peaks.map(([, p]) => p.v)) : NaN;
  const unknown = big ? ['check', 'compile'].filter((t) => !peakOf(big.runs[t])) : [];
  out.push({
    goal: '1,000 x 100,000: check and compile < 1 GB peak RSS',
    measured: !big ? 'not measured' : `${peaks.map(([t, p]) => `${t} ${p.text}`).join(', ')}${unknown.length ? `; ${unknown.join(', ')}: unknown` : ''}`,
    pass: !big ? undefined : peaks.some(([, p]) => p.v >= 1024) ? false : unknown.length ? undefined : within(worst, 1024),
    cpuMeasured: '',
    cpuPass: undefined,
  });

  const mid = by.get('1000x10000');
  for (const [tool, label] of [['compile', 'compile'], ['compileIptables', 'compile --target iptables'], ['check', 'check']]) {
    const growth = (pick) => {
      if (!mid || !big) return { v: NaN, text: 'not measured' };
      const [a, b] = [result(big.runs[tool], pick), result(mid.runs[tool], pick)];
      return { v: rel(a, b), text: ratioText(a, b) };
    };
    const [g, gc] = [growth(wall), growth(cpu)];
    out.push({ goal: `10k -> 100k rules (1,000 tiers): ${label} time grows <= ~12x`, measured: g.text, pass: within(g.v, 12), cpuMeasured: gc.text, cpuPass: within(gc.v, 12) });
  }

  const cold = data.cold?.['tierwall check three-tier'];
  const coldMed = cold ? stats(cold.ms).median : NaN;
  out.push({ goal: 'cold start (check three-tier, hyperfine median of 20) < 150 ms', measured: ms(coldMed), pass: cold ? coldMed < 150 : undefined, cpuPass: cold ? cold.cpuMs < 150 : undefined, cpuMeasured: cold ? `${ms(cold.cpuMs)} (mean user+sys)` : '' });

  const a = data.apply;
  const speedup = a?.restore && a['loop-first'] ? a['loop-first'][0] / stats(a.restore).median : NaN;
  out.push({ goal: `apply ${a?.n ?? '?'} rules: iptables-restore >= 50x faster than a -C/-I loop`, measured: ratio(speedup), pass: Number.isFinite(speedup) ? speedup >= 50 : undefined, cpuPass: undefined, cpuMeasured: '' });
  return out;
}

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const median = (xs) => stats(xs).median;

/** A CPU profile's top functions by self time, or why there is none. */
function profileTable(p) {
  if (!p) return [];
  if (p.failure) return [`CPU profile of \`${p.name}\` failed: ${p.failure}.`, ''];
  return [
    `CPU profile of one \`tierwall ${p.name}\` (\`node --cpu-prof\`; self time by function; file:line in the bundle under dist/, where \`chunk-*\` files are dependencies and shared code; ${ms(p.wallMs)} wall under the profiler):`,
    '',
    table(['function', 'where', 'self', 'share'], p.top.map((t) => [`\`${t.fn}\``, t.where, ms(t.ms), `${(100 * t.share).toFixed(1)}%`])),
    '',
  ];
}

export function renderResults(data) {
  const f = data.facts;
  const L = [];
  const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
  L.push('# tierwall benchmark results', '');
  L.push(`Written by \`${['bench/run', ...(data.opts.argv ?? [])].join(' ')}\` on ${data.started.slice(0, 16).replace('T', ' ')} UTC in ${(data.seconds / 60).toFixed(1)} min; tierwall ${f.tierwall} at ${f.commit}; seed ${data.opts.seed}. Regenerate with \`bench/run\` (see the header of bench/run.mjs).`, '');
  L.push('**Machine.** ' + `${f.nproc} CPUs (${f.cpu}), ${f.memGB.toFixed(1)} GB RAM, Linux ${f.kernel}. ` + `Load average (1/5/15 min) at start ${load(data.loadStart)}, at end ${load(data.loadEnd)}: ` + `the machine was shared with other jobs, so wall times include waiting for a CPU. Every wall time is a median with [min-max]; ` + 'CPU time (user+system, from /usr/bin/time) is given as a second opinion that waiting does not inflate.', '');
  L.push(`**Versions.** node ${f.node}; ${f.ferm}; ${f.capirca}; ${f.iptables}; ${f.hyperfine}.`, '');

  L.push('## Goals', '');
  L.push(table(['goal', 'measured (median wall)', 'verdict', 'by CPU time', 'verdict by CPU'], goals(data).map((g) => [g.goal, g.measured, `**${verdict(g.pass)}**`, g.cpuMeasured || '-', g.cpuPass === undefined ? '-' : verdict(g.cpuPass)])), '');

  L.push('## Cases', '');
  L.push('Generated by bench/lib/generate.mjs (seeded), fully shadowed rules dropped using `tierwall check` (so the policies have no errors), then the first N rules kept. ferm and Capirca get the same rules in the same order (bench/lib/peers.mjs).', '');
  L.push(table(['size', 'tiers (isolated)', 'rules', 'dropped as shadowed', '`any` rules', 'denies (logged)', 'all-traffic', 'port ranges', 'warnings from check', 'policy sha256'], data.sizes.map((s) => {
    const c = s.case;
    const warn = Object.entries(c.diagnostics).map(([k, v]) => `${k} ${int(v)}`).join(', ') || 'none';
    return [s.size.label, `${int(c.tiers)} (${int(c.isolated)})`, int(c.rules), int(c.dropped), int(c.anyRules), `${int(c.denies)} (${int(c.logged)})`, int(c.allTraffic), int(c.ranges), warn, `\`${c.policyHash.slice(0, 12)}\``];
  })), '');

  L.push('## tierwall: whole-process time and peak memory', '');
  L.push('`compile` is the default target (docker: rules.v4, install.sh, compose.yml, systemd, rsyslog, REPORT.md) and runs every check first; `compile --target iptables` writes rules.v4 only, the same job the peers do.', '');
  L.push(table(['size', 'runs', 'check', 'check CPU', 'check RSS', 'compile', 'compile CPU', 'compile RSS', 'compile --target iptables', 'its CPU', 'its RSS'], data.sizes.map((s) => [
    s.size.label, s.size.runs, cell(s.runs.check), ms(cpu(s.runs.check).median), mb(rss(s.runs.check).median),
    cell(s.runs.compile), ms(cpu(s.runs.compile).median), mb(rss(s.runs.compile).median),
    cell(s.runs.compileIptables), ms(cpu(s.runs.compileIptables).median), mb(rss(s.runs.compileIptables).median),
  ])), '');

  const notes = data.sizes.flatMap((s) => Object.entries(s.retired ?? {}).map(([tool, why]) => `- ${s.size.label}, ${tool}: ${why}.`));
  if (notes.length > 0) L.push('Runs cut short (per-run timeout and per-tool time budget; see bench/run.mjs):', '', ...notes, '');

  L.push('## Where the time goes', '');
  L.push('From `compile --timings` (in-process, median over the runs, ms, share of the process wall time). "rest" is the process wall time minus the stages: node start-up, module loading, printing diagnostics, exit. Target docker is the default (every artifact); target iptables writes rules.v4 only.', '');
  // The stage names as compile --timings prints them, in its order (new stages show up by themselves).
  const names = [];
  for (const s of data.sizes) for (const st of Object.values(s.stages)) for (const x of st) for (const k of Object.keys(x.ms ?? {})) if (!names.includes(k)) names.push(k);
  const stageRows = [];
  for (const s of data.sizes) {
    for (const [target, key] of [['docker', 'compile'], ['iptables', 'compileIptables']]) {
      const st = (s.stages[key] ?? []).filter((x) => x.ms);
      if (st.length === 0) {
        const why = failures(s.runs[key])[0];
        stageRows.push([s.size.label, target, why ? result(s.runs[key]).text : '-', ...names.map(() => ''), '', '', ''].slice(0, names.length + 5));
        continue;
      }
      const w = median(st.map((x) => x.wall));
      const sum = median(st.map((x) => Object.values(x.ms).reduce((a, b) => a + b, 0)));
      const pct = (x) => (Number.isFinite(x) ? `${int(x)} (${((100 * x) / w).toFixed(0)}%)` : '-');
      stageRows.push([s.size.label, target, ...names.map((n) => pct(median(st.map((x) => x.ms[n]).filter((v) => v !== undefined)))), int(sum), pct(w - sum), int(w)]);
    }
  }
  L.push(table(['size', 'target', ...names, 'stages', 'rest', 'process wall'], stageRows), '');
  if (data.sizes.some((s) => s.front)) {
    L.push("`check`'s stages (one run each; bench/lib/stages.mjs, bundled from src/ at the start of the run, times parse, lower, the checks and rendering the diagnostics as text in one process; the CLI has no `check --timings`):", '');
    L.push(table(['size', 'parse', 'lower', 'checks', 'render diagnostics', 'diagnostics', 'process wall'], data.sizes.map((s) => {
      const f = s.front;
      if (!f) return [s.size.label, '-', '', '', '', '', ''];
      if (f.failure) return [s.size.label, `**${f.failure}**`, '', '', '', '', ''];
      const pct = (x) => `${ms(x)} (${((100 * x) / f.wallMs).toFixed(0)}%)`;
      return [s.size.label, pct(f.parseMs), pct(f.lowerMs), pct(f.checksMs), `${pct(f.renderMs)}, ${bytes(f.textBytes)}`, int(f.diagnostics), ms(f.wallMs)];
    })), '');
  }
  if (data.sizes.some((s) => s.emit && Object.keys(s.emit).length > 0)) {
    const names = ['iptables', 'installer', 'systemd', 'logging', 'compose', 'report'];
    L.push('Emit time of each backend of the docker target alone (one run each; bench/lib/stages.mjs; parse + lower first, checks skipped; killed after 120 s):', '');
    L.push(table(['size', 'parse + lower', ...names], data.sizes.map((s) => {
      const e = s.emit ?? {};
      const front = median(Object.values(e).filter((x) => x.frontMs !== undefined).map((x) => x.frontMs));
      return [s.size.label, ms(front), ...names.map((n) => (!e[n] ? '-' : e[n].failure ? `**${e[n].failure}**` : `${ms(e[n].emitMs)} (${bytes(e[n].bytes)})`))];
    })), '');
  }
  L.push(...profileTable(data.profile), ...profileTable(data.checkProfile));

  L.push('## Peers on the same policies', '');
  L.push('`ferm --noexec --lines FILE` (prints the iptables-restore input) and Capirca `aclgen` with an `iptables FORWARD ACCEPT` filter, timed the same way, interleaved with tierwall run by run.', '');
  L.push(table(['size', 'ferm', 'ferm CPU', 'ferm RSS', 'Capirca', 'Capirca CPU', 'Capirca RSS'], data.sizes.map((s) => [
    s.size.label, cell(s.runs.ferm), ms(cpu(s.runs.ferm).median), mb(rss(s.runs.ferm).median), cell(s.runs.capirca), ms(cpu(s.runs.capirca).median), mb(rss(s.runs.capirca).median),
  ])), '');
  L.push("Equivalence, sampled (bench/lib/equivalence.mjs): NEW flows between two tiers, most aimed at a rule's tiers and port edges, run through tierwall's rules.v4 and through each peer's output by a small first-match interpreter; the verdicts must agree.", '');
  L.push(table(['size', 'ferm agrees with tierwall', 'Capirca agrees with tierwall'], data.sizes.map((s) => {
    const e = s.equivalence;
    const c = (x) => (!x ? '-' : `${x.agree === x.total ? '' : '**'}${int(x.agree)} / ${int(x.total)}${x.agree === x.total ? '' : `** (first: ${x.first})`}`);
    if (e?.error) return [s.size.label, `error: ${e.error}`, ''];
    if (!e) return [s.size.label, '-', '-'];
    // No rules.v4 (compile failed): Capirca was compared with ferm instead.
    if (e.reference === 'ferm') return [s.size.label, 'no rules.v4 (compile failed)', `agrees with ferm: ${c(e.capirca)}`];
    return [s.size.label, c(e.ferm), c(e.capirca)];
  })), '');
  L.push('Ratios tierwall / peer of the medians (below 1: tierwall is faster), wall time (CPU time in parentheses):', '');
  const r = (s, a, b) => {
    const w = ratioText(result(s.runs[a]), result(s.runs[b]));
    return w.startsWith('-') ? w : `${w} (${ratioText(result(s.runs[a], cpu), result(s.runs[b], cpu))})`;
  };
  L.push(table(['size', 'compile / ferm', 'compile / Capirca', 'compile --target iptables / ferm', 'compile --target iptables / Capirca', 'check / ferm'], data.sizes.map((s) => [
    s.size.label, r(s, 'compile', 'ferm'), r(s, 'compile', 'capirca'), r(s, 'compileIptables', 'ferm'), r(s, 'compileIptables', 'capirca'), r(s, 'check', 'ferm'),
  ])), '');

  L.push('## Ruleset shape', '');
  L.push("tierwall dispatches main chain (`-d` per tier) -> dispatch chain (`-s` per tier) -> per-source chain -> per-pair chains (`-d`) and shared chains of `any`-source rules. Worst tier-to-tier path (an upper bound, bench/lib/ruleset.mjs), maximised over source and destination: the main chain's lines up to the destination's `-d` jump + the dispatch chain's lines up to the source's last `-s` line + every line of the source chain and of every chain a packet to that destination can enter from it (the source chain's last line decides whatever is left). Worst tier->outside bounds a packet leaving for an address outside every tier by the whole main chain. ferm's and Capirca's outputs are flat (Capirca's per-term chains are entered in order): a packet that no rule decides early is tested against every rule.", '');
  L.push(table(['size', 'tierwall rules', 'chains', 'main chain', 'largest source chain', 'largest pair chain', 'worst tier->tier', 'worst tier->outside', 'rules.v4', 'all artifacts', 'ferm rules = worst', 'Capirca rules = worst'], data.sizes.map((s) => {
    const t = s.shape.tierwall;
    if (!t) return [s.size.label, 'no rules.v4 (compile failed)', '', '', '', '', '', '', '', '', int(s.shape.ferm?.rules), int(s.shape.capirca?.rules)];
    return [s.size.label, int(t.rules), int(t.chains), int(t.mainChain), int(t.maxSourceChain), int(t.maxPairChain), `**${int(t.tierToTier)}**`, int(t.toForeign), bytes(t.bytes), bytes(t.outputBytes), int(s.shape.ferm?.rules), int(s.shape.capirca?.rules)];
  })), '');

  L.push('## Load time: `iptables-restore --test`', '');
  L.push("Inside a throwaway network namespace (bench/lib/netns-load.sh). tierwall's rules.v4 declares only its own chains and is tested with `--noflush`; ferm's output and Capirca's (wrapped in `*filter` ... `COMMIT` with `:FORWARD ACCEPT`, as Capirca's speedway target would) are whole tables, tested as they are.", '');
  const lc = (x) => (!x ? '-' : x.failure ? `**${/^timeout/.test(x.failure) ? x.failure.replace(/s$/, ' s').replace('timeout', 'timed out') : `failed: ${x.failure}`}**` : `${ms(median(x.ms))}${x.ms.length > 1 ? ` [${ms(Math.min(...x.ms))}-${ms(Math.max(...x.ms))}]` : ''}`);
  L.push(table(['size', 'runs', 'tierwall rules.v4', 'ferm', 'Capirca'], data.sizes.map((s) => [s.size.label, s.size.loadRuns, s.shape.tierwall ? lc(s.load.tierwall) : 'no rules.v4 (compile failed)', lc(s.load.ferm), lc(s.load.capirca)])), '');

  L.push('## Apply speed', '');
  const a = data.apply ?? {};
  if (a.failure) L.push(`FAILED: ${a.failure}`, '');
  if (a.restore) {
    L.push(`${a.n} rules into DOCKER-USER inside a throwaway network namespace (bench/lib/apply-speed.sh): one \`iptables-restore -w --noflush\` transaction (median of ${a.restore.length}) vs the per-rule \`iptables -w -C ... || iptables -w -I ...\` loop of hand-written scripts (once on an empty chain, once more as a re-run with every rule present).`, '');
    const rm = median(a.restore);
    L.push(table(['method', 'time', 'vs restore'], [
      ['iptables-restore --noflush', `${ms(rm)} [${ms(Math.min(...a.restore))}-${ms(Math.max(...a.restore))}]`, '1x'],
      ['-C \\|\\| -I loop, first apply', ms(a['loop-first']?.[0]), ratio(a['loop-first']?.[0] / rm)],
      ['-C \\|\\| -I loop, re-run', ms(a['loop-rerun']?.[0]), ratio(a['loop-rerun']?.[0] / rm)],
    ]), '');
  }

  L.push('## Cold start', '');
  if (data.cold?.failure) L.push(`FAILED: ${data.cold.failure}`, '');
  else if (data.cold) {
    L.push('hyperfine, 20 runs after 3 warm-ups, no shell:', '');
    L.push(table(['command', 'median', 'min-max', 'CPU (mean user+sys)'], Object.entries(data.cold).map(([k, v]) => [`\`${k}\``, ms(median(v.ms)), `${ms(Math.min(...v.ms))}-${ms(Math.max(...v.ms))}`, ms(v.cpuMs)])), '');
    L.push('`node -e 0` is the floor on this machine at this load (about 50 ms on a quiet one): the difference is what tierwall itself costs.', '');
  }
  L.push(...profileTable(data.coldProfile));

  L.push('## Method notes', '');
  L.push(
    '- Scratch files (cases, outputs, raw numbers in results.json) are in bench/.work/ (gitignored). The CLI is built from src/ into bench/.work/tw/ first (scripts/build.mjs), so one build, with its own templates, is measured throughout.',
    '- Wall time: monotonic clock around each process, from spawn to exit. Peak RSS: GNU time %M (max RSS of the process tree). Output files are written to disk, diagnostics to a file.',
    '- Determinism: each generated policy is produced twice from the seed and the sha256 of both must match; the hash of the final (pruned) policy is in the cases table.',
    '- Equivalence: the peers get replies first, one rule per tier for traffic inside it (isolation), the rules in order (a rule mixing protocols becomes one statement per protocol), then the default between tiers; `any` is the tier subnets collapsed into the fewest prefixes. Neither peer checks anything (Capirca\'s --shade_check is off by default and stays off). Capirca\'s log-limit is omitted: Capirca 2.0.6 renders it as `-m --limit`, which iptables rejects.',
    '',
  );
  return L.join('\n');
}

/** The lines printed at the end of a run. */
export function summaryLines(data) {
  const out = ['', 'tierwall bench summary (median wall; CPU in parentheses)'];
  for (const s of data.sizes) {
    const w = (t) => result(s.runs[t]).text;
    const both = (t) => (Number.isFinite(result(s.runs[t]).v) ? `${w(t)} (${result(s.runs[t], cpu).text}), ${mb(rss(s.runs[t]).median)}` : w(t));
    const t = s.shape.tierwall;
    const shape = t ? `${int(t.rules)} rules, worst path ${int(t.tierToTier)}` : 'no rules.v4';
    out.push(`  ${s.size.label.padEnd(12)} check ${both('check')}; compile ${both('compile')}; ferm ${w('ferm')}, Capirca ${w('capirca')}; ${shape}`);
  }
  for (const g of goals(data)) out.push(`  ${verdict(g.pass).padEnd(4)} ${g.goal}: ${g.measured}${g.cpuPass !== undefined ? ` [by CPU: ${verdict(g.cpuPass)}]` : ''}`);
  return out;
}
