import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a process that runs for months on a small branch server and allocates in
 * bursts (a round's results, a batch's JSON) with little in between. Measured with the agent
 * load benchmark (docs/benchmarks.md, "Agent load"; docs/decisions.md, "The agent keeps its
 * heap small"):
 *
 * - `--semi-space-growth-factor=1` keeps the young generation at its first size, 1 MiB a
 *   semi-space. V8's default lets it grow to 16 MiB a semi-space under the first burst (500
 *   icmp rounds in the first seconds), and it then stays committed.
 * - `--optimize-for-size` makes V8 start a full collection after a smaller growth of the old
 *   generation (2 MiB steps instead of 8), so garbage promoted there does not pile up.
 *
 * Together: private memory (RssAnon) about 24 MiB instead of 30–32 MiB with the other changes,
 * at no measurable CPU cost. The process entry imports this module first, before anything
 * allocates. Node 20's single executables cannot carry V8 flags (`execArgv` in the SEA config
 * came in Node 22); V8 reads both flags each time it sizes a space, so setting them at run time
 * takes effect (the semi-space maximum itself is fixed when the heap is set up).
 */
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--optimize-for-size');
