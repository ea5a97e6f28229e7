/** Choices shown in forms and checked on the server; kept free of server imports so client forms can use them. */
export const TASK_STATUSES = ["active", "completed", "deferred", "cancelled"] as const;
export const TASK_IMPORTANCES = ["low", "normal", "high"] as const;
export const PROJECT_STATUSES = ["Not started", "In progress", "At risk", "On hold", "Completed", "Cancelled"] as const;

export const TASK_STATUS_LABELS: Record<(typeof TASK_STATUSES)[number], string> = {
  active: "Active",
  completed: "Completed",
  deferred: "Deferred",
  cancelled: "Cancelled",
};

export const IMPORTANCE_LABELS: Record<(typeof TASK_IMPORTANCES)[number], string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
};
