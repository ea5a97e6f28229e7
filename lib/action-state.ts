export type ActionState = {
  status: "idle" | "success" | "error";
  error?: string;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** What the user typed, echoed back so a refused form is not emptied. */
  fields?: Record<string, string>;
  /** Values a successful action hands to its form once, e.g. a new API token's secret. */
  data?: Record<string, string>;
};

/** What an action's run may return besides a plain message: a message with data for the form. */
export type ActionOutcome = { message: string; data: Record<string, string> };

export const initialActionState: ActionState = { status: "idle" };

/** Repeated keys (checkbox groups) become arrays; file inputs are left out (uploads go through routes). */
export function formDataToObject(formData: FormData): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}
