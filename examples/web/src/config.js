// The site's configuration, from environment variables, validated once:
// every bad variable is reported together, by name.

import { fileURLToPath } from "node:url";

const DEFAULTS = {
  WEB_LISTEN: "127.0.0.1:3000",
  COMMENTS_SERVER: "127.0.0.1:50051",
  COMMENTS_GATEWAY_URL: "",
  COMMENTS_PROTO_DIR: fileURLToPath(new URL("../../../proto", import.meta.url)),
  WEB_TRUST_PROXY: "",
  WEB_CALL_TIMEOUT_MS: "5000",
  WEB_MAX_COMMENTS: "1000",
};

export const configVariables = Object.keys(DEFAULTS);

function parseListen(value) {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) {
    throw new Error("must be HOST:PORT, e.g. 127.0.0.1:3000");
  }
  return { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

function parseServer(value) {
  if (!/^[^\s/]+:\d{1,5}$/.test(value)) throw new Error("must be HOST:PORT, e.g. 127.0.0.1:50051");
  return value;
}

// The gateway as browsers reach it (scheme, host, port), or empty for a
// site that submits by form POST only.
function parseGatewayUrl(value) {
  if (value === "") return "";
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error("must be a URL such as http://127.0.0.1:8080");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error("must use http or https");
  }
  if (url.search || url.hash || url.username) throw new Error("must have no query, fragment or user");
  return url.href.replace(/\/$/, "");
}

// Express's "trust proxy": which peers may name the reader in
// X-Forwarded-For (e.g. "loopback", "10.0.0.0/8, 192.0.2.7"). Empty trusts
// nobody: the reader is the connection's peer.
function parseTrustProxy(value) {
  if (value === "") return false;
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function parseInteger(min, max) {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new Error(`must be an integer from ${min} to ${max}`);
    }
    return Number(value);
  };
}

const PARSERS = {
  WEB_LISTEN: ["listen", parseListen],
  COMMENTS_SERVER: ["commentsServer", parseServer],
  COMMENTS_GATEWAY_URL: ["gatewayUrl", parseGatewayUrl],
  COMMENTS_PROTO_DIR: ["protoDir", (value) => value],
  WEB_TRUST_PROXY: ["trustProxy", parseTrustProxy],
  WEB_CALL_TIMEOUT_MS: ["callTimeoutMs", parseInteger(100, 60000)],
  WEB_MAX_COMMENTS: ["maxComments", parseInteger(1, 100000)],
};

// Returns {config} or {errors: ["NAME: what is wrong", ...]}.
export function loadConfig(env) {
  const config = {};
  const errors = [];
  for (const [name, [key, parse]] of Object.entries(PARSERS)) {
    try {
      config[key] = parse((env[name] ?? DEFAULTS[name]).trim());
    } catch (error) {
      errors.push(`${name}: ${error.message}`);
    }
  }
  return errors.length > 0 ? { errors } : { config };
}
