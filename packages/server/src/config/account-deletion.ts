// `account_deletion` as Authgear's authgear.yaml has it (pkg/lib/config/account_deletion.go): may
// the user delete their own account from the app (settings action delete_account), and how long
// the account waits, disabled, before it is deleted for good.
import { z } from "zod";

export const accountDeletionSchema = z
  .object({
    scheduled_by_end_user_enabled: z.boolean().default(false)
      .describe("Users may schedule the deletion of their own account (the SDKs' startDeleteAccount / deleteAccount, App Store rule 5.1.1(v))."),
    grace_period_days: z.number().int().min(1).max(180).default(30)
      .describe("Days between scheduling and deletion; the user is disabled meanwhile and an operator can cancel."),
  })
  .prefault({})
  .describe("Scheduled account deletion (Authgear's account_deletion).");

export type AccountDeletionConfig = z.infer<typeof accountDeletionSchema>;
