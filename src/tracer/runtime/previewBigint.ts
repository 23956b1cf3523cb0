// The text of a bigint preview. Decimal digits cost time that grows faster than the value's size (V8 takes a
// third of a second for 2.8 million bits), so only bigints below 2^4096 (1,234 digits, microseconds) are written
// out exactly. A larger one shows its first digits and its power of ten, "≈1.08990e+845098n", found from its bit
// length and its top 53 bits with shifts and comparisons: no decimal conversion, and a cost of a few copies of
// the value's bytes at most (a memory copy, whatever its size), never of its digits.

import { bigintToString, floor, log10, numberToPrecision, pow } from './primordials';

const BigIntOf = BigInt;
const NumberOf = Number;
const ZERO = BigIntOf(0);
const MINUS_ONE = BigIntOf(-1);
const EXACT_BITS = 4096;
const EXACT_LIMIT = BigIntOf(1) << BigIntOf(EXACT_BITS);
const MINUS_EXACT_LIMIT = -EXACT_LIMIT;
/** V8 allows bigints of up to 2^30 bits. */
const MAX_BITS_LOG2 = 30;
const LOG10_2 = 0.3010299956639812;

/** Whether `top` (a value shifted right) is all that is left of |v|: 0, or -1 for a negative v. */
const isSign = (top: bigint): boolean => top === ZERO || top === MINUS_ONE;

/**
 * The number of bits of |v|, for |v| ≥ 2^EXACT_BITS. A shift right by k costs a copy of the bits above k, and
 * nothing when there are none: so candidates come down from the largest length V8 allows by 1/64 at a time
 * (each costs nothing while it is above the length), and the first one below the length leaves a `top` of at
 * most 1/63 of the value, whose length a binary search then finds in the same way. In all, about 3% of the
 * value's bytes are copied, whatever its size.
 */
function bitLength(v: bigint): number {
  let above = 2 ** MAX_BITS_LOG2;
  let k = above;
  let top = v >> BigIntOf(k);
  while (isSign(top)) {
    above = k;
    k = floor((k * 63) / 64);
    top = v >> BigIntOf(k);
  }
  // |v| has more than k bits and at most `above`: top = v >> k holds the rest, between 1 and above - k bits.
  let lo = 0; // top has more than lo bits
  let hi = above - k; // and at most hi
  while (hi - lo > 1) {
    const mid = lo + floor((hi - lo) / 2);
    if (isSign(top >> BigIntOf(mid))) hi = mid;
    else lo = mid;
  }
  return k + hi;
}

/** The preview text of a bigint, and whether it is exact. */
export function bigintText(v: bigint): { text: string; exact: boolean } {
  if (v < EXACT_LIMIT && v > MINUS_EXACT_LIMIT) return { text: bigintToString(v) + 'n', exact: true };
  const bits = bitLength(v);
  const shift = bits - 53;
  const top = NumberOf(v >> BigIntOf(shift)); // exactly the top 53 bits (a Number holds them all)
  const negative = top < 0;
  const power = log10(negative ? -top : top) + shift * LOG10_2;
  let exponent = floor(power);
  let digits = numberToPrecision(pow(10, power - exponent), 6);
  if (digits === '10.0000') {
    digits = '1.00000';
    exponent++;
  }
  return { text: `≈${negative ? '-' : ''}${digits}e+${exponent}n`, exact: false };
}
