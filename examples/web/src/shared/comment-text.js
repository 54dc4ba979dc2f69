// How a comment's text is laid out, shared by the server's templates and
// the page's script. Everything returned is plain text: escaping happens
// where it is put into the page (template autoescape, textContent).

// Paragraphs at blank lines, lines within them at line breaks.
export function paragraphsOf(body) {
  return body
    .trim()
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((paragraph) => paragraph.split(/\r?\n/))
    .filter((lines) => lines.some((line) => line.trim() !== ""));
}

// The author's website as a link target, only when it is an http(s) URL
// (the service validates this too; a page must not rely on it).
export function safeUrl(url) {
  if (!url) return "";
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
  } catch {
    return "";
  }
}

const TIME_FORMAT = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

// {iso, text} for a <time> element.
export function timeOf(date) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return { iso: "", text: "" };
  return { iso: date.toISOString(), text: `${TIME_FORMAT.format(date)} UTC` };
}

// threads/{thread}/comments/{id} -> id.
export function commentIdOf(name) {
  return name.slice(name.lastIndexOf("/") + 1);
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
