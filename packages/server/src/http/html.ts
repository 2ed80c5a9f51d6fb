// Server-rendered HTML with every interpolation escaped; no client framework.
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The one frame of every hosted page: login, sign-up, account, consent, errors, logout. */
export function page(options: { title: string; body: string; lang?: string; productName?: string; wide?: boolean }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(options.title)} · ${escapeHtml(options.productName ?? "Gatehouse")}</title>
<link rel="stylesheet" href="/_gatehouse/ui.css">
<link rel="stylesheet" href="/_gatehouse/account.css">
</head>
<body>
<main class="card${options.wide ? " wide" : ""}">
${options.body}
</main>
</body>
</html>`;
}

/** The body of a page that only says what went wrong (or what happened), with an optional way on. */
export function problemBody(title: string, message: string, link?: { href: string; label: string }): string {
  const more = link ? `\n<p class="alt"><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : "";
  return `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>${more}`;
}

export function errorPage(title: string, message: string): string {
  return page({ title, body: problemBody(title, message) });
}

export const UI_CSS = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f4f5f7;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330}
.card{width:min(100%,26rem);margin:1rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;padding:.6rem .7rem;border:1px solid #b9bfcc;border-radius:8px;font:inherit}
input:focus,button:focus,a:focus{outline:3px solid #7aa7ff;outline-offset:1px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:8px;background:#2456d3;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.error{background:#fdecec;color:#8a1c1c;padding:.6rem .8rem;border-radius:8px}
.alt{margin-top:1.25rem;text-align:center}
`;
