// The site's pages: the index, an article with its comments and form, and
// the form's POST, answered with Post/Redirect/Get.

import { randomUUID } from "node:crypto";
import { Router } from "express";
import { articles, findArticle, threadOf } from "./articles.js";
import { emptyForm, loadArticlePage } from "./article-page.js";
import { uuidPattern } from "./shared/comment-text.js";
import { describeRefusal } from "./shared/outcome.js";

const FORM_INPUTS = ["author_name", "author_email", "author_url", "body"];

// A field sent twice arrives as an array; only a single string counts.
function textField(body, name) {
  const value = body?.[name];
  return typeof value === "string" ? value : "";
}

function uuidField(value) {
  return typeof value === "string" && uuidPattern.test(value) ? value.toLowerCase() : "";
}

// The reader's address as Express resolves it (see WEB_TRUST_PROXY).
function readerIp(req) {
  return (req.ip ?? "").replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
}

export function articleRoutes({ comments, notices, maxComments, gatewayUrl }) {
  const router = Router();

  const renderArticle = async (res, article, options, status = 200) => {
    const page = await loadArticlePage(comments, article, { maxComments, ...options });
    // The form carries a request_id of its own, and a held comment is for
    // its author only: neither may be served from a shared cache.
    res.set("Cache-Control", "private, no-store");
    res.status(status).render("article.njk", { ...page, gatewayUrl });
  };

  router.get("/", async (req, res) => {
    let counts;
    try {
      counts = await comments.countComments(articles.map(threadOf));
    } catch {
      counts = undefined;
    }
    res.render("index.njk", {
      articles: articles.map((article) => ({
        ...article,
        count: counts?.get(threadOf(article)),
      })),
    });
  });

  router.get("/articles/:slug", async (req, res, next) => {
    const article = findArticle(req.params.slug);
    if (!article) return next();
    const notice = uuidField(req.query.notice);
    const taken = notice ? notices.take(notice) : undefined;
    const held = taken?.thread === threadOf(article) ? taken.comment : undefined;
    await renderArticle(res, article, {
      held,
      replyToId: uuidField(req.query.replytocom),
      form: emptyForm(),
    });
  });

  // The address a refused form was answered at, opened again by hand.
  router.get("/articles/:slug/comments", (req, res, next) => {
    if (!findArticle(req.params.slug)) return next();
    res.redirect(303, `/articles/${req.params.slug}#respond`);
  });

  router.post("/articles/:slug/comments", async (req, res, next) => {
    const article = findArticle(req.params.slug);
    if (!article) return next();
    const thread = threadOf(article);
    const values = Object.fromEntries(FORM_INPUTS.map((name) => [name, textField(req.body, name)]));
    const requestId = uuidField(req.body?.request_id) || randomUUID();
    const replyToId = uuidField(req.body?.reply_to);
    try {
      const created = await comments.createComment(
        {
          parent: thread,
          comment: { ...values, reply_to: replyToId ? `${thread}/comments/${replyToId}` : "" },
          request_id: requestId,
        },
        { ip: readerIp(req), userAgent: req.get("user-agent") ?? "" },
      );
      const id = notices.put({ thread, comment: created });
      res.redirect(303, `/articles/${article.slug}?notice=${id}#comment-${created.name.split("/").pop()}`);
    } catch (error) {
      if (!error.details) throw error;
      const refusal = describeRefusal(error.details);
      if (refusal.retryAfterSeconds !== undefined) {
        res.set("Retry-After", String(refusal.retryAfterSeconds));
      }
      await renderArticle(
        res,
        article,
        {
          replyToId,
          form: {
            values,
            fieldErrors: refusal.fieldErrors,
            message: refusal.message,
            requestId: refusal.freshRequestId ? randomUUID() : requestId,
          },
        },
        refusal.httpStatus,
      );
    }
  });

  return router;
}
