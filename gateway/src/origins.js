// CORS for the configured origins only. A browser request from any other
// origin is refused outright (403), so a page elsewhere can neither read
// answers nor make the service do work; callers that send no Origin
// (curl, servers) are not browsers and pass.

import cors from "cors";
import { cors as connectCors } from "@connectrpc/connect";

const PREFLIGHT_MAX_AGE_S = 7200;

export function originPolicy(allowedOrigins) {
  const allowed = new Set(allowedOrigins);
  const withCors = cors({
    origin: (origin, callback) => callback(null, allowed.has(origin)),
    methods: connectCors.allowedMethods,
    allowedHeaders: connectCors.allowedHeaders,
    exposedHeaders: connectCors.exposedHeaders,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8", vary: "Origin" });
      res.end("origin not allowed\n");
      return;
    }
    withCors(req, res, next);
  };
}
