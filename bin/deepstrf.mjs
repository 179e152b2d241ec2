#!/usr/bin/env node
// The `deepstrf` command: runs the built CLI (dist/cli.js, bundled from src/cli/main.ts), which
// wires Ctrl-C and the exit code (runCliProcess).
import { runCliProcess } from '../dist/cli.js';

await runCliProcess();
