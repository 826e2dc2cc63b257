/**
 * Numbers written straight into a byte buffer, with exactly the characters of `String(x)`
 * (ECMAScript's Number::toString: the shortest digits that read back as x, the closest of
 * them to x) and without making a string. `String(x)` costs about 350 ns a number in V8 and a
 * string each time; the rows of a long output are mostly numbers (issue 17, item 4).
 *
 * How the digits are found: first from one exact product (shortestByProduct): x·10^k as two
 * doubles, for x·10^k in [10^15, 2^53) and k ≤ 44 (10^k past 10^22 as two doubles), the
 * decimals within half an ulp of x found without a division or a search (2026-12-01: most
 * numbers, those below 1e−7 included, which String once wrote). Otherwise by a search:
 * a decimal c·10^e with c ≤ 2^53 and |e| ≤ 22 reads back as
 * `c / 10^−e` (or `c · 10^e`), one correctly rounded IEEE operation on two exact doubles
 * (Clinger's fast path), so whether it reads back as x is one comparison. At the scale of 16
 * digits the integers near x·10^−e are tried: when exactly one reads back, it is the shortest
 * once its trailing zeros are dropped (a shorter one would be among them, padded with zeros);
 * when several do, one of 15 digits (the only one) or else the closest of 16; when none does,
 * the 17 digits nearest x. The closest and the nearest come from x·10^−e exactly, as the sum of
 * two doubles (Dekker's product), where no tie is possible (checked: a tie needs x·2^(17−E) to
 * be whole). Whatever this cannot decide exactly (next to a power of ten, numbers past the
 * fast path's range, below 1e−7 or so with 16 digits or more, subnormals) is written from
 * `String(x)` itself: the bytes are always String's. test/format/row-bytes.test.ts checks
 * that with fast-check on every kind of double.
 */

/** 10^0 … 10^22: the powers of ten that are exact doubles. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_53 = 2 ** 53;
const MIN_NORMAL = 2.2250738585072014e-308;
/** 2^0 … 2^60 (ties are looked for with x·2^(17−E), E ≥ −7 − 1). */
const POW2 = Array.from({ length: 61 }, (_, i) => 2 ** i);
/** The bits of a double, for its binary exponent (cheaper than Math.log10). */
const bits = new Float64Array(1);
const bitsHigh = new Uint32Array(bits.buffer);
const HIGH = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0;

/**
 * The result of a search: the shortest digits as an integer (C), the exponent of the last (E),
 * a 17th digit (D, or −1), the low part of an exact product (LO); and the doubles the functions
 * below hand each other: the number being written (X), an exact product's high part (P). In a
 * typed array: a double in a module variable would be boxed at every assignment, and one
 * passed as an argument or returned at every call that is not inlined (garbage: a heap object
 * each time, several a number; issue 17).
 */
const found = new Float64Array(9);
const C = 0;
const FE = 1;
const D = 2;
const LO = 3;
const X = 4;
const P = 5;
/**
 * Past 2^53 the digits are C + CO (C an integer double, CO a small integer: not every integer
 * there is a double); WIDE is 1 when they were found so, FR the fraction of x·10^−e.
 */
const CO = 6;
const WIDE = 7;
const FR = 8;
const LOW = 1 - HIGH;

/**
 * How many of the integers near x·10^−e read back as x: 0, 1 (then found[C] holds it), 2 for
 * two or more, −1 when the fast path cannot tell (|e| > 22, or past 2^53 with e ≥ 0).
 */
function probe(e: number): number {
  if (e < -22 || e > 22) return -1;
  const x = found[X] as number;
  const p = e < 0 ? x * (POW10[-e] as number) : x / (POW10[e] as number);
  const m = Math.round(p);
  // (m + 2 = 2^53 too: c++ would stop at 2^53 and the loop below never end.)
  if (m + 2 >= TWO_53) return e < 0 ? probeWide(-e) : -1;
  let count = 0;
  // |p − x·10^−e| ≤ 1/2 and |m − p| ≤ 1/2: every integer whose rounding interval holds x is
  // within m ± 2 (the interval of 16 digits is at most 2.3 units wide).
  for (let c = m - 2; c <= m + 2; c++) {
    if (c <= 0) continue;
    const back = e < 0 ? c / (POW10[-e] as number) : c * (POW10[e] as number);
    if (back === x) {
      count++;
      found[C] = c;
      found[CO] = 0;
    }
  }
  return count > 1 ? 2 : count;
}

/**
 * probe past 2^53 (x·10^k near 10^16, 1 ≤ k ≤ 22), where c·10^−k is no longer one exact
 * division: decided exactly instead. x·10^k = P + LO exactly (Dekker), P an integer double;
 * c reads back as x when |c − x·10^k| is below half the gap of doubles at x, times 10^k (a power
 * of two times 10^k: exact), with c = P + ⌊LO⌋ + j and c − x·10^k = j − frac, exact (checked).
 * Found: the only one, or the closest of several, in C + CO (WIDE = 1); FR is frac, for a 17th
 * digit. A power of two (a narrower gap below), an integer on the edge of the interval (the
 * even double wins) or a tie between two: −1, left to String.
 */
function probeWide(k: number): number {
  const x = found[X] as number;
  exactProduct(k);
  const p = found[P] as number;
  const lo = found[LO] as number;
  const off = Math.floor(lo);
  const frac = lo - off;
  if (!Number.isInteger(p) || frac + off !== lo || frac < 0 || frac >= 1) return -1;
  bits[0] = x;
  if (bitsHigh[LOW] === 0 && ((bitsHigh[HIGH] as number) & 0xfffff) === 0) return -1;
  const exponent = ((bitsHigh[HIGH] as number) >>> 20) - 1023;
  // 2^(exponent − 53), half of x's gap, made from its bits (x is normal and above 1e−7 here).
  bitsHigh[LOW] = 0;
  bitsHigh[HIGH] = (exponent - 53 + 1023) << 20;
  const half = (POW10[k] as number) * (bits[0] as number);
  let count = 0;
  let closest = Number.POSITIVE_INFINITY;
  for (let j = -2; j <= 3; j++) {
    const s = j - frac;
    // TwoSum's error of j − frac: 0 when the difference is exact.
    const b = s - j;
    if (j - (s - b) + (-frac - b) !== 0) return -1;
    const distance = Math.abs(s);
    if (distance === half || distance === closest) return -1;
    if (distance < half) {
      count++;
      if (distance < closest) {
        closest = distance;
        found[C] = p;
        found[CO] = off + j;
      }
    }
  }
  found[WIDE] = 1;
  found[FR] = frac;
  return count > 1 ? 2 : count;
}

/** Veltkamp's split (for exact products). */
const SPLIT = 134217729; // 2^27 + 1
/**
 * 10^0 … 10^44 as two doubles each, exactly (5^44 < 2^106): the nearest double (read from
 * text, correctly rounded; 10^k itself to 10^22) and the rest (0 to 10^22; past it a multiple
 * of 2^k of at most 51 bits: exact).
 */
const TEN_HI = Array.from({ length: 45 }, (_, k) => Number(`1e${k}`));
const TEN_LO = TEN_HI.map((hi, k) => Number(10n ** BigInt(k) - BigInt(hi)));
/** Veltkamp's split of TEN_HI. */
const TEN_HI_HI = TEN_HI.map((t) => {
  const c = SPLIT * t;
  return c - (c - t);
});
const TEN_HI_LO = TEN_HI.map((t, k) => t - (TEN_HI_HI[k] as number));

/**
 * The product x · 10^k (k ≤ 44) of x = found[X] as found[P] + found[LO]: exactly to 10^22
 * (Dekker's two-product); past it the product by the nearest double exactly, plus x times the
 * rest, within 2^−53 of x·10^k when P < 2^53.
 */
function exactProduct(k: number): void {
  const x = found[X] as number;
  const t = TEN_HI[k] as number;
  const p = x * t;
  const c = SPLIT * x;
  const xh = c - (c - x);
  const xl = x - xh;
  const th = TEN_HI_HI[k] as number;
  const tl = TEN_HI_LO[k] as number;
  found[LO] = xh * th - p + xh * tl + xl * th + xl * tl + x * (TEN_LO[k] as number);
  found[P] = p;
}

/**
 * The shortest digits of x = found[X] > 0 (normal) in `found`: 1, or 0 when the
 * fast path cannot decide (the caller then writes String(x)).
 */
function shortest(): number {
  found[D] = -1;
  found[WIDE] = 0;
  if (shortestByProduct() === 1) return 1;
  const x = found[X] as number;
  bits[0] = x;
  // floor(log10 x) within one, from the binary exponent (corrected below).
  let E = Math.floor((((bitsHigh[HIGH] as number) >>> 20) - 1023) * 0.30102999566398114);
  let e = E - 15;
  // The scale of 16 digits: x·10^(15−E) in [10^15, 10^16) (log10 may be one off). Next to
  // either end the rounded product cannot tell: left to String.
  let boundary = false;
  for (let tries = 0; ; tries++) {
    if (e < -44 || e > 22 || tries > 3) return 0;
    // Past 10^22 the scale is not exact, but good enough to tell the number of digits.
    const m = Math.round(
      e >= 0
        ? x / (POW10[e] as number)
        : e >= -22
          ? x * (POW10[-e] as number)
          : x * (POW10[22] as number) * (POW10[-e - 22] as number),
    );
    if (Math.abs(m - 1e15) <= 2 || Math.abs(m - 1e16) <= 20) {
      boundary = true;
      break;
    }
    if (m > 1e16) E++;
    else if (m < 1e15) E--;
    else break;
    e = E - 15;
  }
  found[D] = -1;
  found[WIDE] = 0;
  let r = probe(e);
  // Whether the 16 digits were found past 2^53 (probeWide): C + CO, not C alone.
  let wide = found[WIDE] === 1;
  if (r !== 1 && (boundary || r < 0)) {
    // Next to a power of ten, or 16 digits past 2^53: only one of 15 digits is decided here
    // (the only integer near x·10^−e that reads back, so the shortest once stripped).
    if (r >= 0 || probe(e + 1) !== 1) return 0;
    r = 1;
    e++;
    wide = false;
  }
  if (r === 2) {
    // Several of 16 digits: one of 15 (then the only one) is shorter.
    const r15 = probe(e + 1);
    if (r15 === 1) {
      r = 1;
      e++;
      wide = false;
    } else if (r15 !== 0) return 0;
  }
  if (r < 0) return 0;
  found[WIDE] = wide ? 1 : 0;
  if (wide) {
    // The closest of several is in C + CO already; the only one has its zeros taken off by
    // the writer (in its digits); none: the 17 digits nearest x, C + CO and a 17th.
    if (r === 0) {
      const tenth = 10 * (found[FR] as number);
      const d = Math.round(tenth);
      if (Math.abs(tenth - Math.floor(tenth) - 0.5) < 1e-6 || d > 9 || d <= 0) return 0;
      found[C] = found[P] as number;
      found[CO] = Math.floor(found[LO] as number);
      found[D] = d;
      e--;
    }
    found[FE] = e;
    return 1;
  }
  let c = found[C] as number;
  if (r !== 1) {
    // 16 digits, the closest of several, or 17 digits, the nearest to x (which reads back).
    // Neither may be a tie (String's rule takes the even one, toPrecision's the larger): a
    // tie needs x·2^(17−E) to be a whole number.
    if (e >= 0 || Number.isInteger(x * (POW2[17 - E] as number))) return 0;
    exactProduct(-e);
    if (splitProduct() === 0) return 0;
    const whole = found[C] as number;
    const fraction = found[FR] as number;
    if (r === 2) {
      if (Math.abs(fraction - 0.5) < 1e-6) return 0;
      c = fraction > 0.5 ? whole + 1 : whole;
      if (c / (POW10[-e] as number) !== x) return 0;
    } else {
      const tenth = 10 * fraction;
      const d = Math.round(tenth);
      if (Math.abs(tenth - Math.floor(tenth) - 0.5) < 1e-6 || d > 9 || d < 0) return 0;
      c = whole;
      found[D] = d;
      if (d === 0) return 0;
      e--;
    }
  } else return stripped(c, e);
  found[C] = c;
  found[CO] = 0;
  found[FE] = e;
  return 1;
}

/** The digits c·10^e (0 < c ≤ 2^53) without their trailing zeros, in `found`; returns 1. */
function stripped(digits: number, exponent: number): number {
  let e = exponent;
  // Not with %: the remainder of doubles is a slow call. c = high·10^8 + low, eight at once
  // when low is 0, then one at a time in int32 arithmetic.
  let high = Math.floor(digits / 1e8);
  let low = digits - high * 1e8;
  if (low === 0) {
    low = high;
    high = 0;
    e += 8;
  }
  let l = low | 0;
  let zeros = 0;
  for (let q = (l / 10) | 0; q * 10 === l; q = (l / 10) | 0) {
    l = q;
    zeros++;
  }
  found[C] = high === 0 ? l : high * (POW10[8 - zeros] as number) + l;
  found[CO] = 0;
  found[FE] = e + zeros;
  return 1;
}

/**
 * found[P] + found[LO] (x·10^k, P ≥ 2^49) as a whole number (found[C]) and a fraction in [0, 1)
 * (found[FR], within 2^−53): 1, or 0 when it cannot be so split. P has three bits or more after
 * the point, so its part after it is exact, and LO, below half of P's last bit (and x times the
 * rest of 10^k), may take the sum under the whole part or past the next.
 */
function splitProduct(): number {
  const p = found[P] as number;
  const lo = found[LO] as number;
  let whole = Math.floor(p);
  let part = p - whole;
  if (part + lo < 0) {
    whole--;
    part++;
  } else if (part + lo >= 1) {
    whole++;
    part--;
  }
  const fraction = part + lo;
  if (!(fraction >= 0 && fraction < 1)) return 0;
  found[C] = whole;
  found[FR] = fraction;
  return 1;
}

/** Below this an error of rounding could change a decision of shortestByProduct. */
const MARGIN = 1e-9;

/**
 * The shortest digits of x = found[X] > 0 (normal) from one exact product, where it decides
 * (1, in `found`), else 0 (shortest then searches). x·10^k = v lies in [10^15, 2^53) with k ≤ 44:
 * v = whole + f exactly enough (Dekker's product: f within 2^−52), and the decimals that read
 * back as x are those within h = ulp(x)/2 · 10^k of v (a power of two times 10^k: exact, or
 * within 2^−53 past 10^22), x not a power of two (whose lower gap is half). So the integers c with |c − v| < h are the 16 digits
 * that read back: one (then the shortest, once its trailing zeros are off: a shorter one would
 * be it, padded), several (the only multiple of ten among them, h < 1.1, is the 15 digits;
 * without one, the closest), or none (the 17 digits nearest v, which read back: 10h > 0.55).
 * Anything within MARGIN of a decision's edge (an end of the interval, a tie) is left to the
 * search: the bytes are String's either way. Without a division, and one product for all.
 */
function shortestByProduct(): number {
  const x = found[X] as number;
  bits[0] = x;
  const high = bitsHigh[HIGH] as number;
  if (bitsHigh[LOW] === 0 && (high & 0xfffff) === 0) return 0;
  const biased = high >>> 20;
  // floor(log10 x) is E or E + 1.
  const E = Math.floor((biased - 1023) * 0.30102999566398114);
  let k = 15 - E;
  if (k > 44 || k < 0) return 0;
  if (x * (TEN_HI[k] as number) >= 1e16) k--;
  if (k < 0) return 0;
  exactProduct(k);
  const p = found[P] as number;
  if (p < 1e15 + 4 || p > TWO_53 - 8) return 0;
  // ulp(x)/2 = 2^(exponent − 53), from its bits; times 10^k, exact (k ≤ 22) or within 2^−53.
  bitsHigh[LOW] = 0;
  bitsHigh[HIGH] = (biased - 53) << 20;
  const h = (TEN_HI[k] as number) * (bits[0] as number);
  if (splitProduct() === 0) return 0;
  const whole = found[C] as number;
  const f = found[FR] as number;
  const below = f - h;
  const above = f + h;
  const first = Math.ceil(below);
  const last = Math.floor(above);
  // An end of the interval on an integer, or so close to one that rounding may have moved it
  // across: whether that integer reads back is left to the search (the even rule).
  if (first - below < MARGIN || below - first + 1 < MARGIN) return 0;
  if (above - last < MARGIN || last + 1 - above < MARGIN) return 0;
  if (first === last) return stripped(whole + first, -k);
  if (first > last) {
    // None of 16 digits: the 17 digits nearest v, whole and a 17th d (1 to 9: 0 or 10 would
    // be 16 digits that read back).
    const tenth = 10 * f;
    const d = Math.round(tenth);
    if (Math.abs(tenth - Math.floor(tenth) - 0.5) < MARGIN || d > 9 || d <= 0) return 0;
    found[C] = whole;
    found[CO] = 0;
    found[D] = d;
    found[FE] = -k - 1;
    return 1;
  }
  // Several of 16 digits: the multiple of ten among them (15 digits), else the closest.
  const ten = whole - Math.floor(whole / 10) * 10;
  for (let j = first; j <= last; j++) {
    if ((ten + j) % 10 === 0) return stripped(whole + j, -k);
  }
  if (Math.abs(f - 0.5) < MARGIN) return 0;
  const closest = f > 0.5 ? 1 : 0;
  if (closest < first || closest > last) return 0;
  found[C] = whole + closest;
  found[CO] = 0;
  found[FE] = -k;
  return 1;
}

/** Writes the ASCII string s at `at`; returns the end. */
export function writeAscii(buf: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

/**
 * Writes the digits d[0..k) with the decimal point after n of them, as Number::toString places
 * it (fixed for −6 < n ≤ 21, else exponent form).
 */
function place(buf: Uint8Array, at: number, d: Uint8Array, k: number, n: number): number {
  if (k <= n && n <= 21) {
    for (let i = 0; i < k; i++) buf[at++] = d[i] as number;
    for (let i = k; i < n; i++) buf[at++] = 0x30;
  } else if (0 < n && n <= 21) {
    for (let i = 0; i < n; i++) buf[at++] = d[i] as number;
    buf[at++] = 0x2e;
    for (let i = n; i < k; i++) buf[at++] = d[i] as number;
  } else if (-6 < n && n <= 0) {
    buf[at++] = 0x30;
    buf[at++] = 0x2e;
    for (let i = n; i < 0; i++) buf[at++] = 0x30;
    for (let i = 0; i < k; i++) buf[at++] = d[i] as number;
  } else {
    buf[at++] = d[0] as number;
    if (k > 1) {
      buf[at++] = 0x2e;
      for (let i = 1; i < k; i++) buf[at++] = d[i] as number;
    }
    buf[at++] = 0x65;
    const x = n - 1;
    buf[at++] = x < 0 ? 0x2d : 0x2b;
    // The exponent (under 400), after the mantissa's digits have been copied.
    found[C] = x < 0 ? -x : x;
    at = writeUnsigned(buf, at);
  }
  return at;
}

const digits = new Uint8Array(24);

/** "00" … "99": two digits from one division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/** How many decimal digits 0 ≤ v < 10^9 has (1 for 0). */
function digitCount(v: number): number {
  if (v < 1e4) return v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
  if (v < 1e6) return v < 1e5 ? 5 : 6;
  return v < 1e7 ? 7 : v < 1e8 ? 8 : 9;
}

/**
 * The `count` last decimal digits of the int32 v ≥ 0 (leading zeros included) into `digits`
 * (or `into`), ending before `end`: two at a time, from the last.
 */
function fillDigits(value: number, end: number, count: number, into: Uint8Array = digits): void {
  let v = value | 0;
  let i = end;
  let left = count;
  while (left >= 2) {
    const q = (v / 100) | 0;
    const r = (v - 100 * q) << 1;
    into[--i] = PAIRS[r + 1] as number;
    into[--i] = PAIRS[r] as number;
    v = q;
    left -= 2;
  }
  if (left === 1) into[--i] = 0x30 + v;
}

/**
 * The decimal digits of 0 ≤ c = found[C] ≤ 2^53 (then of d = found[D], when d ≥ 0) into
 * `digits`; returns how many. In two halves of 8 digits or fewer, each written in place two
 * digits at a time (small integer arithmetic, not a chain of 16 divisions of doubles).
 */
function digitsOf(): number {
  const c = found[C] as number;
  const d = found[D] as number;
  let high = Math.floor(c / 1e8);
  // c − high·10^8 is exact; CO (past 2^53) may carry into or borrow from the high half.
  let low = c - high * 1e8 + (found[CO] as number);
  if (low >= 1e8) {
    low -= 1e8;
    high++;
  } else if (low < 0) {
    low += 1e8;
    high--;
  }
  let k: number;
  if (high > 0) {
    // high < 2^53 / 10^8 < 2^27: an int32; the low half with its leading zeros.
    const h = digitCount(high);
    fillDigits(high, h, h);
    fillDigits(low, h + 8, 8);
    k = h + 8;
  } else {
    k = digitCount(low);
    fillDigits(low, k, k);
  }
  if (d >= 0) digits[k++] = 0x30 + d;
  return k;
}

/**
 * The digits found (C, then D; not WIDE) when they make a number below 1 that Number::toString
 * writes without an exponent, `0.` and its zeros, straight into `buf` (no copy through
 * `digits`): the end, or −1 for the other layouts (place).
 */
function writeFraction(buf: Uint8Array, at: number): number {
  const c = found[C] as number;
  const d = found[D] as number;
  const high = Math.floor(c / 1e8);
  const low = c - high * 1e8;
  const h = high > 0 ? digitCount(high) : 0;
  const k = (h > 0 ? h + 8 : digitCount(low)) + (d >= 0 ? 1 : 0);
  // The decimal point n digits from the first: 0.000ddd for −6 < n ≤ 0.
  const n = k + (found[FE] as number);
  if (n > 0 || n <= -6) return -1;
  buf[at++] = 0x30;
  buf[at++] = 0x2e;
  for (let i = n; i < 0; i++) buf[at++] = 0x30;
  let end = at + k;
  if (d >= 0) buf[--end] = 0x30 + d;
  if (h > 0) {
    fillDigits(low, end, 8, buf);
    fillDigits(high, end - 8, h, buf);
  } else fillDigits(low, end, end - at, buf);
  return at + k;
}

/** Writes a whole number 0 ≤ c = found[C] ≤ 2^53 in decimal. */
function writeUnsigned(buf: Uint8Array, at: number): number {
  found[D] = -1;
  found[CO] = 0;
  const k = digitsOf();
  for (let i = 0; i < k; i++) buf[at++] = digits[i] as number;
  return at;
}

/**
 * Writes `String(x)` for any number at `at` (the buffer has room for 25 bytes); returns the
 * end. The same bytes as String(x), −0 as `0`.
 */
export function writeNumber(buf: Uint8Array, at: number, x: number): number {
  found[X] = x;
  return writeHeld(buf, at);
}

/**
 * writeNumber of `values[index]`, read here: a double taken from a Float64Array and passed on
 * would be boxed (long outputs read as columns, row-bytes.ts).
 */
export function writeNumberOf(
  buf: Uint8Array,
  at: number,
  values: Float64Array,
  index: number,
): number {
  found[X] = values[index] as number;
  return writeHeld(buf, at);
}

/** writeNumber of found[X]. */
function writeHeld(buf: Uint8Array, at: number): number {
  const x = found[X] as number;
  if (x === 0) {
    buf[at] = 0x30;
    return at + 1;
  }
  let v = x;
  if (v < 0) {
    v = -v;
  }
  if (v >= MIN_NORMAL && v < Infinity) {
    if (Number.isInteger(v) && v <= TWO_53 && v < 1e21) {
      if (x < 0) buf[at++] = 0x2d;
      found[C] = v;
      return writeUnsigned(buf, at);
    }
    found[X] = v;
    if (shortest() === 1) {
      if (x < 0) buf[at++] = 0x2d;
      if (found[WIDE] === 0 && (found[FE] as number) < 0) {
        const end = writeFraction(buf, at);
        if (end >= 0) return end;
      }
      let k = digitsOf();
      const n = k + (found[FE] as number);
      // Past 2^53 the only digits that read back still have their trailing zeros.
      if (found[WIDE] === 1) while (k > 1 && digits[k - 1] === 0x30) k--;
      return place(buf, at, digits, k, n);
    }
  }
  return writeAscii(buf, at, String(x));
}
