// cli: commander wiring only. Each command's module is imported when that command runs, so a
// `check` never loads handlebars, ajv or the backends (cold start matters in editors and CI).
import { Command, Option, CommanderError } from 'commander';
import { VERSION } from './version.js';
import { EXIT, FORMATS } from './output.js';

function formatOption(): Option {
  return new Option('-f, --format <format>', 'diagnostics format').choices(FORMATS).default('text');
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('tierwall')
    .description('Policy-as-code compiler for Docker network segmentation')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('check')
    .description('check policies and report diagnostics')
    .argument('<files...>', "policy files ('-' for stdin)")
    .addOption(formatOption())
    .option('--strict', 'fail on warnings too')
    .action(async (files: string[], opts) => setExit((await import('./commands/check.js')).runCheck(files, opts)));

  program
    .command('compile')
    .description('compile a policy into deployable artifacts')
    .argument('<file>', "policy file ('-' for stdin)")
    .requiredOption('-o, --output <dir>', 'output directory')
    .option('-t, --target <target>', 'target: docker (default), iptables, compose, report, k8s, monitoring', 'docker')
    .option('--namespace <name>', 'k8s: namespace of the NetworkPolicies', 'default')
    .option('--dns-egress', 'k8s: allow egress to kube-dns on udp/53 and tcp/53')
    .option('--monitoring-tier <tier>', 'monitoring: the policy tier Prometheus and node-exporter join', 'monitoring')
    .option('--prometheus-image <image>', 'monitoring: Prometheus image (default: a pinned prom/prometheus tag)')
    .option('--node-exporter-image <image>', 'monitoring: node-exporter image (default: a pinned prom/node-exporter tag)')
    .addOption(formatOption())
    .option('--strict', 'refuse on warnings too')
    .option('--timings', 'print per-stage timings to stderr')
    .option('--no-validate', 'do not check the generated rules against the policy (emergencies only)')
    .action(async (file: string, opts) => setExit(await (await import('./commands/compile.js')).runCompile(file, opts)));

  program
    .command('fmt')
    .description('format policies canonically (comments are kept)')
    .argument('<files...>', "policy files ('-' for stdin)")
    .option('--check', 'list files that are not formatted; exit 1 if any')
    .option('--write', 'rewrite files in place')
    .action(async (files: string[], opts) => setExit((await import('./commands/fmt.js')).runFmt(files, opts)));

  program
    .command('query')
    .description('show what the policy decides for traffic from <src> to <dst>, and why')
    .argument('<file>', 'policy file')
    .argument('<src>', 'source tier name or IPv4 address')
    .argument('<dst>', 'destination tier name or IPv4 address')
    .argument('[service]', 'tcp/PORT, udp/PORT, icmp or other (default: every class)')
    .option('--json', 'print JSON')
    .action(async (file: string, src: string, dst: string, service: string | undefined, opts) =>
      setExit((await import('./commands/query.js')).runQuery(file, src, dst, service, opts)));

  program
    .command('ir')
    .description('print the policy IR as JSON')
    .argument('<file>', "policy file ('-' for stdin)")
    .action(async (file: string) => setExit((await import('./commands/ir.js')).runIr(file)));

  program
    .command('diff')
    .description('compare what two policies decide: newly allowed/denied flows, log, tier and service changes')
    .argument('<old>', "old policy: a file, '-' for stdin, or REV:path from git (e.g. main:policies/prod.policy)")
    .argument('<new>', 'new policy (same forms)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .addOption(new Option('--fail-on <what>', 'exit 2 on any change, or only when access widens').choices(['any', 'widen']).default('any'))
    .addHelpText('after', '\nExit status: 0 no change, 1 error, 2 changes (--fail-on widen: 2 only when access widens).')
    .action(async (oldSpec: string, newSpec: string, opts) =>
      setExit((await import('./commands/diff.js')).runDiff(oldSpec, newSpec, opts)));

  program
    .command('graph')
    .description('draw tiers and the flows the policy allows (Mermaid for PRs, DOT/SVG for Graphviz)')
    .argument('<file>', "policy file ('-' for stdin)")
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot', 'svg']).default('mermaid'))
    .option('--denied-logged', 'also draw flows that are denied and logged (dashed)')
    .action(async (file: string, opts) => setExit((await import('./commands/graph.js')).runGraph(file, opts)));

  program
    .command('lsp')
    .description('run the language server on stdin/stdout (for editors)')
    .option('--stdio', 'talk LSP over stdin/stdout (the default; accepted because clients pass it)')
    // LSP clients may add --clientProcessId=<pid> or --clientProcessId <pid>.
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async () => setExit(await (await import('./commands/lsp.js')).runLsp()));

  return program;
}

/** Runs the CLI; returns the exit code. Usage errors exit 2, internal errors 3 with a plain message. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok;
      // For diff, 2 means "changes found" (like git diff --exit-code); a usage error must not look like one.
      return argv[0] === 'diff' ? EXIT.failed : EXIT.usage;
    }
    const { InputError } = await import('./io.js');
    if (e instanceof InputError) {
      process.stderr.write(`error[io-error]: ${e.message}\n`);
      return EXIT.failed;
    }
    process.stderr.write(`tierwall: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.stderr.write('this is a bug in tierwall; please report it with the policy that triggers it (TIERWALL_DEBUG=1 shows the stack)\n');
    if (process.env.TIERWALL_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return EXIT.internal;
  }
}
