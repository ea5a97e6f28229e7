/** Next calls this once when a server process starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startInlineExecution } = await import("@/inngest/inline-startup");
  await startInlineExecution().catch((error) => console.error("Could not start in-process background jobs", error));
}
