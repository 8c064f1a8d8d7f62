/**
 * Small-group protection beyond `publishable`: figures of groups nested in a shown group (procedures in an office,
 * offices in the total) must not let a group of fewer than MIN_GROUP be worked out by subtraction.
 * Pure, like statistics.ts.
 */
import { publishable } from './statistics.ts';

/**
 * Which parts of a group may be shown beside it. What is not shown is the group minus the parts shown, so that rest
 * must be empty or publishable too: when it would hold 1-4, the smallest part shown is withheld as well
 * (complementary suppression), which makes the rest at least 6. `whole` may exceed the sum of the parts: members
 * of no part (answers recorded without a procedure) are in the rest.
 */
export function shownParts(whole: number, parts: readonly number[]): boolean[] {
  const shown = parts.map((count) => publishable(whole) && publishable(count));
  const rest = whole - parts.reduce((sum, count, i) => sum + (shown[i] ? count : 0), 0);
  if (rest === 0 || publishable(rest)) return shown;
  let smallest = -1;
  parts.forEach((count, i) => {
    if (shown[i] && (smallest < 0 || count < parts[smallest]!)) smallest = i;
  });
  if (smallest >= 0) shown[smallest] = false;
  return shown;
}
