// Host-name folding (src/merge/nodeset.ts) at fleet size: 5,000 names of each shape the nodeset
// test compares with `nodeset -f`. Prints the median of 15 folds; asserts nothing about time.
import { foldNodeset } from '../src/merge/nodeset.js';
import { fleetShapes } from '../test/helpers/host-names.js';
import { printTable } from './print.js';

const NAMES = 5000;
const RUNS = 15;

test(`folding ${NAMES} host names`, () => {
  const rows: string[][] = [];
  for (const [shape, names] of Object.entries(fleetShapes(1, NAMES))) {
    const ms: number[] = [];
    let folded = '';
    for (let i = 0; i < RUNS; i++) {
      const started = process.hrtime.bigint();
      folded = foldNodeset(names);
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    ms.sort((a, b) => a - b);
    rows.push([shape, String(names.length), ms[Math.floor(RUNS / 2)]!.toFixed(1), String(folded.length)]);
  }
  process.stdout.write(`\nfoldNodeset, median of ${RUNS} folds (milliseconds)\n`);
  printTable(['shape', 'names', 'ms', 'folded length'], rows);
  process.stdout.write('\n');
});
