// A minimal browser for protocol tests: a cookie jar, manual redirects, and form posts — enough to
// sign in through the real login page over HTTP without a real browser.
export class UserAgent {
  readonly cookies = new Map<string, string>();

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(res);
    return res;
  }

  /** Follows redirects until one leaves `origin` (returned as the final URL) or a page is shown. */
  async follow(url: string, origin: string, init: RequestInit = {}): Promise<{ url: string; response: Response }> {
    let current = url;
    let res = await this.request(current, init);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      current = new URL(res.headers.get("location")!, current).toString();
      if (new URL(current).origin !== origin) return { url: current, response: res };
      res = await this.request(current);
    }
    return { url: current, response: res };
  }

  /** Submits the login (or signup) form on the page at `pageUrl`. */
  async submitForm(pageUrl: string, html: string, fields: Record<string, string>, origin: string): Promise<{ url: string; response: Response }> {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on ${pageUrl}`);
    const hidden: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) hidden[m[1]] = m[2].replace(/&amp;/g, "&");
    const body = new URLSearchParams({ ...hidden, ...fields });
    return this.follow(new URL(action, pageUrl).toString(), origin, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body,
    });
  }

  /** Runs an authorization URL through login; returns the URL the server sent back to the app. */
  async signIn(authorizeUrl: string, origin: string, email: string, password: string): Promise<string> {
    const first = await this.follow(authorizeUrl, origin);
    if (new URL(first.url).origin !== origin) return first.url;
    const html = await first.response.text();
    const done = await this.submitForm(first.url, html, { email, password }, origin);
    if (new URL(done.url).origin === origin) throw new Error(`login did not complete: ${done.response.status} ${await done.response.text()}`);
    return done.url;
  }
}
