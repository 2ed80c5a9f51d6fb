// TOTP (RFC 6238, SHA-1, 6 digits, 30 s: what every authenticator app speaks) through otplib,
// with one step of clock drift either way and no step accepted twice (RFC 6238 §5.2).
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import type { Context } from "../../context.ts";
import { CODE_PATTERN, cleanCode } from "../codes.ts";

export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(issuer: string, account: string, secret: string): string {
  return generateURI({ issuer, label: account, secret });
}

/** An SVG QR code as a data: URL (our CSP allows `img-src data:`; no script needed). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

/** The time step the code belongs to, or null. */
export async function matchTotp(secret: string, input: string, now: number): Promise<number | null> {
  const token = cleanCode(input);
  if (!CODE_PATTERN.test(token)) return null;
  try {
    const result = await verify({ secret, token, epoch: now, epochTolerance: TOTP_PERIOD });
    return result.valid && "timeStep" in result ? result.timeStep : null;
  } catch {
    // otplib refuses secrets it considers unsafe (e.g. shorter than 128 bits): no match.
    return null;
  }
}

/**
 * Checks a code against the user's enabled authenticator and spends its time step. "reused": the
 * code is right for the time but its step (or a later one) was spent already — typically the same
 * code typed again within its 30 seconds — which the person can fix by waiting for the next code.
 */
export async function checkTotp(ctx: Context, userId: string, input: string): Promise<"ok" | "invalid" | "reused"> {
  const totp = await ctx.storage.totp.get(userId);
  if (!totp || totp.confirmedAt === null) return "invalid";
  const step = await matchTotp(totp.secret, input, ctx.now());
  if (step === null) return "invalid";
  return (await ctx.storage.totp.markUsed(userId, step)) ? "ok" : "reused";
}

export async function useTotp(ctx: Context, userId: string, input: string): Promise<boolean> {
  return (await checkTotp(ctx, userId, input)) === "ok";
}

export async function hasTotp(ctx: Context, userId: string): Promise<boolean> {
  return (await ctx.storage.totp.get(userId))?.confirmedAt != null;
}
