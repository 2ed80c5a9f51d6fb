// A sign-up for an email that is taken, when verification is required, gets the same "check your
// email" page as a real one (the owner gets a notice instead of a code). This keeps the page's
// answers — wrong code, too many wrong codes, resend cooldown — identical to a real sign-up's.
// In-process and bounded: it only has to be as good as an attacker's patience on one node.
import { MAX_CODE_FAILURES } from "../codes.ts";
import { RESEND_COOLDOWN_SECONDS } from "../limits/buckets.ts";
import type { CheckResult, SendResult } from "./service.ts";

interface Phantom {
  sentAt: number;
  failures: number;
}

const phantoms = new Map<string, Phantom>();
const MAX_PHANTOMS = 10_000;

export function phantomSent(pendingId: string, now: number): void {
  if (phantoms.size >= MAX_PHANTOMS) phantoms.delete(phantoms.keys().next().value as string);
  phantoms.set(pendingId, { sentAt: now, failures: 0 });
}

export function phantomResend(pendingId: string, now: number): SendResult {
  const p = phantoms.get(pendingId);
  const wait = p ? p.sentAt + RESEND_COOLDOWN_SECONDS - now : 0;
  if (wait > 0) return { kind: "cooldown", seconds: wait };
  phantomSent(pendingId, now);
  return { kind: "sent" };
}

export function phantomCheck(pendingId: string): CheckResult {
  const p = phantoms.get(pendingId);
  if (!p) return "invalid";
  if (p.failures >= MAX_CODE_FAILURES) return "too_many";
  p.failures += 1;
  return p.failures >= MAX_CODE_FAILURES ? "too_many" : "invalid";
}
