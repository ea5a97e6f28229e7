import { describe, expect, it } from "vitest";
import { planComposeParts, type PlanPiece, type PlannedPart } from "@/lib/storage/compose-plan";

/** S3's limits scaled down (5 MiB → 5 bytes) so every layout is small enough to reason about. */
const limits = { minPartBytes: 5, uploadPartBytes: 8, maxCopyPartBytes: 20 };

const stored = (size: number): PlanPiece => ({ size, stored: true });
const bytes = (size: number): PlanPiece => ({ size, stored: false });

function partSize(part: PlannedPart) {
  const ranges = part.kind === "copy" ? [part.range] : part.ranges;
  return ranges.reduce((total, range) => total + range.end - range.start, 0);
}

/** What S3 and the driver need of any plan, checked independently of how the planner works. */
function expectValidPlan(pieces: PlanPiece[], plan: PlannedPart[]) {
  const ranges = plan.flatMap((part) => (part.kind === "copy" ? [part.range] : part.ranges));
  // Every byte of every piece, once, in order.
  let expected = { piece: 0, offset: 0 };
  for (const range of ranges) {
    while (expected.piece < pieces.length && expected.offset === pieces[expected.piece]!.size) expected = { piece: expected.piece + 1, offset: 0 };
    expect(range).toMatchObject({ piece: expected.piece, start: expected.offset });
    expect(range.end).toBeGreaterThan(range.start);
    expected = { piece: range.piece, offset: range.end };
  }
  expect(ranges.reduce((total, range) => total + range.end - range.start, 0)).toBe(pieces.reduce((total, piece) => total + piece.size, 0));
  plan.forEach((part, index) => {
    if (index < plan.length - 1) expect(partSize(part), `part ${index + 1} of ${plan.length}`).toBeGreaterThanOrEqual(limits.minPartBytes);
    if (part.kind === "copy") {
      expect(pieces[part.range.piece]!.stored).toBe(true);
      expect(partSize(part)).toBeLessThanOrEqual(limits.maxCopyPartBytes);
    } else {
      expect(partSize(part)).toBeLessThanOrEqual(limits.uploadPartBytes);
    }
  });
}

describe("compose plan for S3 multipart uploads", () => {
  it("copies big stored pieces whole and uploads the small ones and the bytes together", () => {
    const pieces = [stored(6), stored(6), stored(1), stored(2), bytes(1)];
    const plan = planComposeParts(pieces, limits);
    expect(plan).toEqual([
      { kind: "copy", range: { piece: 0, start: 0, end: 6 } },
      { kind: "copy", range: { piece: 1, start: 0, end: 6 } },
      { kind: "upload", ranges: [{ piece: 2, start: 0, end: 1 }, { piece: 3, start: 0, end: 2 }, { piece: 4, start: 0, end: 1 }] },
    ]);
    expectValidPlan(pieces, plan);
  });

  it("tops up small leading pieces from the head of a big one, and copies the rest", () => {
    const pieces = [stored(1), stored(12), bytes(1)];
    const plan = planComposeParts(pieces, limits);
    expect(plan).toEqual([
      { kind: "upload", ranges: [{ piece: 0, start: 0, end: 1 }, { piece: 1, start: 0, end: 4 }] },
      { kind: "copy", range: { piece: 1, start: 4, end: 12 } },
      { kind: "upload", ranges: [{ piece: 2, start: 0, end: 1 }] },
    ]);
    expectValidPlan(pieces, plan);
  });

  it("uploads a big piece whole when what would be left to copy is under the minimum", () => {
    const pieces = [stored(1), stored(7), stored(6)];
    const plan = planComposeParts(pieces, limits);
    expect(plan.filter((part) => part.kind === "copy")).toEqual([{ kind: "copy", range: { piece: 2, start: 0, end: 6 } }]);
    expectValidPlan(pieces, plan);
  });

  it("splits stored pieces over the largest copy into several copies, and long bytes into several uploads", () => {
    const pieces = [stored(45), bytes(19)];
    const plan = planComposeParts(pieces, limits);
    expect(plan.map((part) => [part.kind, partSize(part)])).toEqual([
      ["copy", 15],
      ["copy", 15],
      ["copy", 15],
      ["upload", 8],
      ["upload", 8],
      ["upload", 3],
    ]);
    expectValidPlan(pieces, plan);
  });

  it("makes a valid plan for every mix of pieces", () => {
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    for (let layout = 0; layout < 2_000; layout += 1) {
      const pieces = Array.from({ length: 1 + random(8) }, () => ({ size: 1 + random(30), stored: random(4) > 0 }));
      expectValidPlan(pieces, planComposeParts(pieces, limits));
    }
  });
});
