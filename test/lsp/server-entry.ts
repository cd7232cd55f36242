// test support: what bin/tierwall.js does for `tierwall lsp`, without commander: the command module
// is imported lazily, as src/cli/main.ts imports commands, so the bundle puts it in its own chunk.
const { runLsp } = await import('../../src/cli/commands/lsp.js');

runLsp().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tierwall lsp: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
