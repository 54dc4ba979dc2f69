// The Express application: security headers, templates, static files and
// the pages. Built from its dependencies so tests can run it in-process.

import { fileURLToPath } from "node:url";
import express from "express";
import helmet from "helmet";
import nunjucks from "nunjucks";
import { articleRoutes } from "./article-routes.js";

const VIEWS = fileURLToPath(new URL("./views", import.meta.url));
const PUBLIC = fileURLToPath(new URL("../public", import.meta.url));

// The comment form is small: the service refuses more than 64 KiB anyway.
const FORM_LIMIT = "64kb";

export function createApp({ comments, notices, trustProxy, gatewayUrl, maxComments, log }) {
  const app = express();
  app.set("trust proxy", trustProxy);
  app.disable("x-powered-by");

  // Autoescape: every {{ value }} is HTML-escaped; nothing is marked safe.
  const templates = nunjucks.configure(VIEWS, { autoescape: true, express: app });
  templates.addGlobal("siteName", "The Example Gazette");
  app.set("view engine", "njk");

  const gatewayOrigin = gatewayUrl ? new URL(gatewayUrl).origin : undefined;
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: gatewayOrigin ? ["'self'", gatewayOrigin] : ["'self'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      // The reader's website links and the gateway get no referrer.
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  // The process answers; for container health checks (no service call).
  app.get("/healthz", (req, res) => res.type("text/plain").send("ok\n"));
  app.use("/static", express.static(PUBLIC, { maxAge: "1h", index: false }));
  app.use(express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 }));
  app.use(articleRoutes({ comments, notices, maxComments, gatewayUrl }));

  app.use((req, res) => {
    res.status(404).render("not-found.njk");
  });
  // Express's last resort: logged without the request's content.
  app.use((error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500) log.error("request failed", { path: req.path, error: error.message });
    res.status(status).render("error.njk", { status });
  });
  return app;
}
