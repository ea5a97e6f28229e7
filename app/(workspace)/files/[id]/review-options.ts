/** Choices of the review forms, kept free of server imports so the client forms can use them. */
export const RECIPIENT_ROLES = ["reviewer", "approver", "reviewer_approver"] as const;
export const RECORDABLE_DECISIONS = ["approved", "changes_requested", "rejected"] as const;

export const RECIPIENT_ROLE_LABELS: Record<(typeof RECIPIENT_ROLES)[number], string> = {
  reviewer: "Reviewer",
  approver: "Approver",
  reviewer_approver: "Reviewer and approver",
};

export const DECISION_LABELS: Record<"pending" | (typeof RECORDABLE_DECISIONS)[number], string> = {
  pending: "Pending",
  approved: "Approved",
  changes_requested: "Changes requested",
  rejected: "Rejected",
};
