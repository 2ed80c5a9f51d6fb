// The demo used by `npm start` when no config file exists: an SPA client served by Gatehouse itself.
export function demoConfig(port: number): Record<string, unknown> {
  const origin = `http://localhost:${port}`;
  return {
    http: { public_origin: origin, listen: `0.0.0.0:${port}` },
    database: { url: "sqlite:./data/gatehouse.db" },
    // No SMTP in the demo: mail stays in the local outbox, and the verification page links to its page.
    messaging: { dev_outbox_page: true },
    oauth: {
      clients: [{
        client_id: "demo-spa",
        name: "Gatehouse demo",
        x_application_type: "spa",
        redirect_uris: [`${origin}/demo/`],
        post_logout_redirect_uris: [`${origin}/demo/`],
      }],
    },
  };
}
