// The fleet bench's arithmetic (bench/paired.ts): medians, ratios taken round by round, the paired order.
import { median, pairedOrder, pairedRatio } from '../../bench/paired.js';

test('median: the middle value, the mean of the middle two, NaN for none; the input is not reordered', () => {
  const values = [3, 1, 2];
  expect(median(values)).toBe(2);
  expect(values).toEqual([3, 1, 2]);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
  expect(median([])).toBeNaN();
});

test('pairedRatio: the median of the rounds\' ratios, not the ratio of the medians', () => {
  // the machine slows down in round 3: each round's ratio is 0.5 all the same
  expect(pairedRatio([1, 1, 10], [2, 2, 20])).toBe(0.5);
  // ratio of medians would be 2 / 2 = 1; the rounds say 0.5, 4, 0.75
  expect(pairedRatio([1, 8, 3], [2, 2, 4])).toBe(0.75);
  // a round without a figure for b (0) has no ratio; rounds past the shorter list neither
  expect(pairedRatio([1, 5, 3, 9], [2, 0, 3])).toBe(0.75);
  expect(pairedRatio([1], [])).toBeNaN();
});

test('pairedOrder: every label once per round, in the given order', () => {
  expect(pairedOrder(['a', 'b', 'c'], 2)).toEqual([
    { round: 0, label: 'a' }, { round: 0, label: 'b' }, { round: 0, label: 'c' },
    { round: 1, label: 'a' }, { round: 1, label: 'b' }, { round: 1, label: 'c' },
  ]);
  expect(pairedOrder(['a'], 0)).toEqual([]);
});
