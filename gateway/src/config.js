// The gateway's configuration, from environment variables, validated once:
// every bad variable is reported together, by name.

import { logLevels } from "./log.js";

const DEFAULTS = {
  GATEWAY_LISTEN: "127.0.0.1:8080",
  GATEWAY_UPSTREAM: "http://127.0.0.1:50051",
  GATEWAY_ALLOWED_ORIGINS: "",
  GATEWAY_MAX_CALL_TIMEOUT_MS: "10000",
  GATEWAY_MAX_BODY_BYTES: "65536",
  GATEWAY_SHUTDOWN_GRACE_MS: "4000",
  GATEWAY_LOG_LEVEL: "info",
};

export const configVariables = Object.keys(DEFAULTS);

// host:port, with [v6] for IPv6 hosts; port 0 picks a free port.
function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) {
    throw new Error("must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  return { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

// The comment service: http://HOST:PORT (plaintext HTTP/2) or https://.
// A bare HOST:PORT means http.
function parseUpstream(value) {
  const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `http://${value}`;
  let url;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error("must be a URL such as http://127.0.0.1:50051");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error("must use http or https");
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new Error("must be scheme://host:port with nothing after the port");
  }
  return url.origin;
}

// Comma-separated origins exactly as browsers send them in the Origin
// header: scheme://host[:port], no path and no wildcard.
function parseOrigins(value) {
  const origins = value
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
  for (const origin of origins) {
    let url;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`"${origin}" is not an origin such as https://news.example.org`);
    }
    if (url.origin !== origin) {
      throw new Error(`"${origin}" is not an origin; write it as ${url.origin}`);
    }
  }
  return origins;
}

function parseInteger(min, max) {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new Error(`must be an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

function parseLogLevel(value) {
  if (!logLevels.includes(value)) throw new Error(`must be one of ${logLevels.join(", ")}`);
  return value;
}

const PARSERS = {
  GATEWAY_LISTEN: ["listen", parseListen],
  GATEWAY_UPSTREAM: ["upstream", parseUpstream],
  GATEWAY_ALLOWED_ORIGINS: ["allowedOrigins", parseOrigins],
  GATEWAY_MAX_CALL_TIMEOUT_MS: ["maxCallTimeoutMs", parseInteger(100, 600000)],
  GATEWAY_MAX_BODY_BYTES: ["maxBodyBytes", parseInteger(1024, 16 * 1024 * 1024)],
  GATEWAY_SHUTDOWN_GRACE_MS: ["shutdownGraceMs", parseInteger(0, 60000)],
  GATEWAY_LOG_LEVEL: ["logLevel", parseLogLevel],
};

// Returns {config} or {errors: ["NAME: what is wrong", ...]}.
export function loadConfig(env) {
  const config = {};
  const errors = [];
  for (const [name, [key, parse]] of Object.entries(PARSERS)) {
    const value = env[name] ?? DEFAULTS[name];
    try {
      config[key] = parse(value.trim());
    } catch (error) {
      errors.push(`${name}: ${error.message}`);
    }
  }
  return errors.length > 0 ? { errors } : { config };
}
