// Structured logs: one JSON object per line on standard error, like the
// comment service's own. Callers pass ids, paths, codes and durations only:
// never addresses, user agents, emails or comment text.

const LEVELS = { debug: 10, info: 20, warning: 30, error: 40 };

export function createLogger(level = "info", write = (line) => process.stderr.write(line)) {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const emit = (name) => (msg, fields = {}) => {
    if (LEVELS[name] < threshold) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: name, msg, ...fields })}\n`);
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warning: emit("warning"),
    error: emit("error"),
  };
}

export const logLevels = Object.keys(LEVELS);
