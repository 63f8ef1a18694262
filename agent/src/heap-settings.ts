import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its first size (1 MiB a semi-space) instead of letting it grow
 * to 16 MiB a semi-space, V8's default on 64-bit: a burst of results (500 icmp rounds in the
 * first seconds) would otherwise leave tens of MiB of private memory committed for a process
 * that then allocates little. Objects that outlive two scavenges move to the old generation as
 * before; the cost is more, shorter scavenges (docs/benchmarks.md, "Agent load").
 *
 * The process entry imports this module first, before anything allocates. Node 20's single
 * executables cannot carry V8 flags (`execArgv` in the SEA config came in Node 22), and V8
 * reads the growth factor each time it would grow the young generation, so setting it at run
 * time takes effect (the semi-space maximum itself is fixed when the heap is set up).
 */
setFlagsFromString('--semi-space-growth-factor=1');
