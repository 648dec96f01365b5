// Preloaded into the fleetstat process by the scale bench (`node --import ./bench/report-rss.mjs bin/run.js …`):
// at exit, writes the process's peak resident set (getrusage ru_maxrss, in KiB, as `/usr/bin/time -v`
// prints "Maximum resident set size") to the file named by FLEETSTAT_BENCH_RSS_FILE, and on a second
// line its user and system CPU time (microseconds, getrusage's too).
// A fatal V8 error (heap out of memory) aborts without 'exit': the bench then falls back to VmHWM it polled.
import { writeFileSync } from 'node:fs';

const file = process.env.FLEETSTAT_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS}\n${usage.userCPUTime} ${usage.systemCPUTime}\n`);
  });
}
