#!/usr/bin/env node
// The tierwall command: runs the bundled CLI (dist/, built by `npm run build` / `npm ci`).
import { main } from '../dist/tierwall.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`tierwall: internal error: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 3;
  },
);
