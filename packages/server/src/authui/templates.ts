import { escapeHtml, page } from "../http/html.ts";

export interface FormView {
  flowId: string | null;
  csrf: string;
  email: string;
  error: string | null;
  appName: string;
}

const hidden = (v: FormView): string =>
  `<input type="hidden" name="csrf" value="${escapeHtml(v.csrf)}">` + (v.flowId ? `<input type="hidden" name="flow" value="${escapeHtml(v.flowId)}">` : "");

const errorBox = (v: FormView): string => (v.error ? `<p class="error" role="alert" id="form-error">${escapeHtml(v.error)}</p>` : "");
const flowQuery = (v: FormView): string => (v.flowId ? `?flow=${encodeURIComponent(v.flowId)}` : "");

export function loginPage(v: FormView): string {
  return page({
    title: "Sign in",
    body: `<h1>Sign in${v.appName ? ` to ${escapeHtml(v.appName)}` : ""}</h1>
${errorBox(v)}
<form method="post" action="/login" novalidate>
${hidden(v)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${escapeHtml(v.email)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
<button type="submit">Sign in</button>
</form>
<p class="alt">No account? <a href="/signup${flowQuery(v)}">Create one</a></p>`,
  });
}

export function signupPage(v: FormView): string {
  return page({
    title: "Create account",
    body: `<h1>Create your account</h1>
${errorBox(v)}
<form method="post" action="/signup" novalidate>
${hidden(v)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${escapeHtml(v.email)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="256" aria-describedby="password-help">
<p id="password-help">At least 8 characters.</p>
<button type="submit">Create account</button>
</form>
<p class="alt">Have an account? <a href="/login${flowQuery(v)}">Sign in</a></p>`,
  });
}

export function signedInPage(email: string): string {
  return page({
    title: "Signed in",
    body: `<h1>You are signed in</h1><p>Signed in as <strong>${escapeHtml(email)}</strong>.</p>
<p class="alt"><a href="/oauth2/end_session">Sign out</a></p>`,
  });
}
