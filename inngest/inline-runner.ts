import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import { and, eq, lt, sql } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { ServerTiming } from "inngest/internals";
import { StepMode, StepOpCode } from "inngest/types";
import { db } from "@/db/connection";
import { inlineRuns, type InlineRun } from "@/db/schema";

/**
 * Runs the app's Inngest functions in this process when no Inngest server is configured (SPEC §7).
 * It drives the SDK's own execution engine the way the Inngest server does — one step per call,
 * each result memoized and fed back on the next call — and keeps that state in the `inline_runs`
 * table, so a run outlives the process that started it: on start, runs left by a dead process are
 * resumed from their last finished step. Retries, `onFailure`, `cancelOn` and `singleton` follow the
 * function's own options.
 */

type AnyFunction = InngestFunction.Any;
type InlineEvent = { name: string; data: Record<string, unknown>; id?: string; ts?: number };
type MemoizedStep = InlineRun["steps"][number];
type FunctionOptions = {
  id: string;
  retries?: number;
  triggers?: ({ event: string } | { cron: string })[];
  cancelOn?: { event: string; match?: string }[];
  singleton?: { key: string; mode: "skip" | "cancel" };
};

const PROCESS_OWNER = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const DEFAULT_RETRIES = 3;
/** A run whose owner has not been heard from for this long is taken over (the owner died). */
const ORPHAN_AFTER_MS = 2 * 60 * 1000;

type RunnerState = { active: Map<string, Promise<void>>; functions?: AnyFunction[] };
const globalForRunner = globalThis as unknown as { archivistInlineRunner?: RunnerState };
const runner: RunnerState = (globalForRunner.archivistInlineRunner ??= { active: new Map() });

/** The functions to run; registered by inngest/index.ts so this module imports none of them. */
export function registerInlineFunctions(functions: AnyFunction[]) {
  runner.functions = functions;
}

function registeredFunctions(): AnyFunction[] {
  if (!runner.functions) throw new Error("No Inngest functions are registered for in-process execution.");
  return runner.functions;
}

function optionsOf(fn: AnyFunction): FunctionOptions {
  return (fn as unknown as { opts: FunctionOptions }).opts;
}

function findFunction(functionId: string): AnyFunction | undefined {
  return registeredFunctions().find((fn) => optionsOf(fn).id === functionId);
}

/** Resolves `event.data.a.b` against an event, as Inngest's key and match expressions do. */
function readPath(event: InlineEvent, expression: string): unknown {
  const path = expression.replace(/^event\./, "").split(".");
  let value: unknown = event;
  for (const part of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** Starts every function the event triggers and cancels the running ones it cancels. */
export async function dispatchInline(event: InlineEvent): Promise<string[]> {
  const stamped = { ...event, id: event.id ?? randomUUID(), ts: event.ts ?? Date.now() };
  await cancelRunsMatching(stamped);
  const started: string[] = [];
  for (const fn of registeredFunctions()) {
    const options = optionsOf(fn);
    if (!options.triggers?.some((trigger) => "event" in trigger && trigger.event === stamped.name)) continue;
    const runId = await startRun(fn, stamped);
    if (runId) started.push(runId);
  }
  return started;
}

/** Runs a scheduled (cron) function now, as its schedule would. */
export async function runScheduledInline(fn: AnyFunction): Promise<string | undefined> {
  return startRun(fn, { name: "inngest/scheduled.timer", data: { cron: "inline" }, id: randomUUID(), ts: Date.now() });
}

async function cancelRunsMatching(event: InlineEvent) {
  for (const fn of registeredFunctions()) {
    const options = optionsOf(fn);
    for (const rule of options.cancelOn ?? []) {
      if (rule.event !== event.name) continue;
      const running = await db
        .select()
        .from(inlineRuns)
        .where(and(eq(inlineRuns.functionId, options.id), eq(inlineRuns.status, "running"), eq(inlineRuns.phase, "main")));
      for (const run of running) {
        // `match: "data.backupId"` cancels the run whose triggering event has the same value there.
        const matches = !rule.match || readPath(event, rule.match) === readPath(run.event, rule.match);
        if (!matches) continue;
        await db
          .update(inlineRuns)
          .set({ status: "cancelled", finishedAt: new Date() })
          .where(and(eq(inlineRuns.id, run.id), eq(inlineRuns.status, "running")));
      }
    }
  }
}

async function startRun(fn: AnyFunction, event: InlineEvent): Promise<string | undefined> {
  const options = optionsOf(fn);
  if (options.singleton) {
    const key = readPath(event, options.singleton.key);
    const running = await db
      .select({ id: inlineRuns.id, event: inlineRuns.event })
      .from(inlineRuns)
      .where(and(eq(inlineRuns.functionId, options.id), eq(inlineRuns.status, "running")));
    const same = running.filter((run) => readPath(run.event, options.singleton!.key) === key);
    if (same.length > 0 && options.singleton.mode === "skip") return undefined;
    for (const run of same) {
      await db.update(inlineRuns).set({ status: "cancelled", finishedAt: new Date() }).where(eq(inlineRuns.id, run.id));
    }
  }
  const id = `inline_${randomUUID()}`;
  await db.insert(inlineRuns).values({ id, functionId: options.id, event, owner: PROCESS_OWNER });
  launch(id);
  return id;
}

function launch(runId: string) {
  if (runner.active.has(runId)) return;
  const drive = driveRun(runId)
    .catch((error) => console.error(`In-process run ${runId} stopped unexpectedly`, error))
    .finally(() => runner.active.delete(runId));
  runner.active.set(runId, drive);
}

/** Waits until every run this process is driving has finished (tests, graceful shutdown). */
export async function waitForInlineRuns(): Promise<void> {
  while (runner.active.size > 0) await Promise.allSettled([...runner.active.values()]);
}

function backoffMs(attempt: number): number {
  const base = Number(process.env.INLINE_RETRY_BASE_MS ?? 500);
  return Math.min(base * 2 ** attempt, 30_000);
}

function serializeError(error: unknown): { name: string; message: string } {
  if (error && typeof error === "object" && "message" in error) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return { name: typeof name === "string" ? name : "Error", message: String(message) };
  }
  return { name: "Error", message: String(error) };
}

async function loadRun(runId: string) {
  const [run] = await db.select().from(inlineRuns).where(eq(inlineRuns.id, runId));
  return run;
}

/** Updates the run only while it is still running and owned by this process (not cancelled, not taken over). */
async function saveRun(runId: string, set: Partial<typeof inlineRuns.$inferInsert>): Promise<boolean> {
  const rows = await db
    .update(inlineRuns)
    .set({ ...set, heartbeatAt: new Date() })
    .where(and(eq(inlineRuns.id, runId), eq(inlineRuns.status, "running"), eq(inlineRuns.owner, PROCESS_OWNER)))
    .returning({ id: inlineRuns.id });
  return rows.length > 0;
}

async function driveRun(runId: string): Promise<void> {
  for (;;) {
    const run = await loadRun(runId);
    if (!run || run.status !== "running" || run.owner !== PROCESS_OWNER) return;
    const fn = findFunction(run.functionId);
    if (!fn) {
      await saveRun(runId, { status: "failed", error: `No function ${run.functionId} is registered.`, finishedAt: new Date() });
      return;
    }
    const maxAttempts = (optionsOf(fn).retries ?? DEFAULT_RETRIES) + 1;
    const result = await executeOnce(fn, run, maxAttempts);

    if (result.type === "step-ran") {
      const step = result.step as { id: string; op: string; data?: unknown; error?: unknown };
      if (step.op === StepOpCode.StepError) {
        if (!(await saveRun(runId, { attempt: run.attempt + 1 }))) return;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(run.attempt)));
        continue;
      }
      const memo: MemoizedStep = step.op === StepOpCode.StepFailed ? { id: step.id, error: step.error } : { id: step.id, data: step.data };
      const saved = await saveRun(runId, { steps: sql`${inlineRuns.steps} || ${JSON.stringify([memo])}::jsonb` as never, attempt: 0 });
      if (!saved) return;
      continue;
    }
    if (result.type === "function-resolved") {
      await saveRun(runId, { status: "completed", finishedAt: new Date() });
      return;
    }
    if (result.type === "function-rejected") {
      if (result.retriable && run.attempt + 1 < maxAttempts) {
        if (!(await saveRun(runId, { attempt: run.attempt + 1 }))) return;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(run.attempt)));
        continue;
      }
      const error = serializeError(result.error);
      const hasFailureHandler = Boolean((fn as unknown as { onFailureFn?: unknown }).onFailureFn);
      if (run.phase === "main" && hasFailureHandler) {
        // Like the Inngest server: the failure handler is a run of its own, on `inngest/function.failed`.
        await saveRun(runId, { phase: "failure", steps: [], attempt: 0, error: JSON.stringify(error) });
        continue;
      }
      await saveRun(runId, { status: "failed", error: run.error ?? JSON.stringify(error), finishedAt: new Date() });
      return;
    }
    await saveRun(runId, {
      status: "failed",
      error: `The in-process runner cannot handle "${result.type}" (only sequential step.run is supported).`,
      finishedAt: new Date(),
    });
    return;
  }
}

type ExecutionResult =
  | { type: "step-ran"; step: unknown }
  | { type: "function-resolved"; data: unknown }
  | { type: "function-rejected"; error: unknown; retriable: boolean | string }
  | { type: string };

async function executeOnce(fn: AnyFunction, run: InlineRun, maxAttempts: number): Promise<ExecutionResult & Record<string, unknown>> {
  const failure = run.phase === "failure";
  const event = failure
    ? {
        name: "inngest/function.failed",
        data: { error: parseStoredError(run.error), event: run.event, function_id: run.functionId, run_id: run.id },
        id: `${run.id}-failure`,
        ts: Date.now(),
      }
    : run.event;
  const stepState = Object.fromEntries(run.steps.map((step) => [step.id, { ...step }]));
  const execution = (fn as unknown as { createExecution: (options: unknown) => { start: () => Promise<ExecutionResult & Record<string, unknown>> } }).createExecution({
    partialOptions: {
      runId: run.id,
      client: (fn as unknown as { client: unknown }).client,
      data: { runId: run.id, attempt: run.attempt, maxAttempts, event, events: [event] },
      reqArgs: [],
      headers: {},
      stepCompletionOrder: run.steps.map((step) => step.id),
      stepState,
      stepMode: StepMode.Async,
      isFailureHandler: failure,
      handlerKind: failure ? "failure" : "main",
      timer: new ServerTiming.ServerTiming({ info() {}, warn() {}, error() {}, debug() {} } as never),
    },
  });
  return execution.start();
}

function parseStoredError(stored: string | null): { name: string; message: string } {
  try {
    return { name: "Error", message: "The function failed.", ...(JSON.parse(stored ?? "{}") as object) };
  } catch {
    return { name: "Error", message: stored ?? "The function failed." };
  }
}

function ownerIsDead(owner: string | null): boolean {
  if (!owner) return true;
  const [host, pid] = owner.split(":");
  if (host !== os.hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Takes over the runs whose process died (same host and its pid is gone, or silent for two minutes)
 * and drives them on from their last memoized step. Returns the ids taken over.
 */
export async function resumeOrphanedInlineRuns(): Promise<string[]> {
  const running = await db.select().from(inlineRuns).where(eq(inlineRuns.status, "running"));
  const staleBefore = new Date(Date.now() - ORPHAN_AFTER_MS);
  const resumed: string[] = [];
  for (const run of running) {
    if (run.owner === PROCESS_OWNER) continue;
    if (!ownerIsDead(run.owner) && run.heartbeatAt > staleBefore) continue;
    const [claimed] = await db
      .update(inlineRuns)
      .set({ owner: PROCESS_OWNER, heartbeatAt: new Date() })
      .where(
        and(
          eq(inlineRuns.id, run.id),
          eq(inlineRuns.status, "running"),
          run.owner ? eq(inlineRuns.owner, run.owner) : sql`${inlineRuns.owner} is null`,
        ),
      )
      .returning({ id: inlineRuns.id });
    if (!claimed) continue;
    resumed.push(run.id);
    launch(run.id);
  }
  return resumed;
}

/** Whether a run of `functionId` triggered by an event with this data value is still going somewhere. */
export async function hasRunningInlineRun({ functionId, dataKey, value }: { functionId: string; dataKey: string; value: string }) {
  const rows = await db
    .select({ id: inlineRuns.id })
    .from(inlineRuns)
    .where(and(eq(inlineRuns.functionId, functionId), eq(inlineRuns.status, "running"), sql`${inlineRuns.event} -> 'data' ->> ${dataKey} = ${value}`));
  return rows.length > 0;
}

/** Forgets finished runs after a week so the table does not grow without bound. */
export async function pruneFinishedInlineRuns(now = new Date()) {
  await db.delete(inlineRuns).where(and(sql`${inlineRuns.status} <> 'running'`, lt(inlineRuns.finishedAt, new Date(now.getTime() - 7 * 86_400_000))));
}
