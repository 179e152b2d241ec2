#!/usr/bin/env node
// The `deepstrf` command: runs the built CLI (dist/cli.js, bundled from src/cli/main.ts).
import { main } from '../dist/cli.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
