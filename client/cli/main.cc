// commentctl: the moderator's command line. This file defines the command
// line (CLI11) and dispatches to the commands (commands.h); nothing else.
#include <unistd.h>

#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/key_reader.h"
#include "client/cli/session.h"

namespace {

using comments::cli::Session;

constexpr char kEnvironmentHelp[] =
    "Environment:\n"
    "  COMMENTS_SERVER      server address (--server)\n"
    "  COMMENTS_TOKEN       moderator token\n"
    "  COMMENTS_TOKEN_FILE  file holding the moderator token (--token-file)\n"
    "  COMMENTS_CA_FILE, COMMENTS_CERT_FILE, COMMENTS_KEY_FILE  TLS files\n"
    "  COMMENTS_TLS_SERVER_NAME  certificate name (--server-name)\n"
    "  COMMENTS_TIMEOUT     seconds per call (--timeout)\n";

struct Command {
  CLI::App* app;
  std::function<int(Session&)> run;
};

}  // namespace

int main(int argc, char** argv) {
  namespace cli = comments::cli;
  CLI::App app(
      "Moderate comments of the comment service: list and review the queue, "
      "approve, reject or mark spam, watch it live, read the audit trail, "
      "erase an author's data.",
      "commentctl");
  app.require_subcommand(1);
  // Global options may also follow the command: `commentctl queue --json`.
  app.fallthrough();
  app.footer(absl::StrCat("\n", cli::ExitCodeHelp(), "\n", kEnvironmentHelp));

  cli::GlobalOptions global;
  app.add_option("--server", global.channel.address,
                 "server address, host:port")
      ->envname("COMMENTS_SERVER")
      ->capture_default_str();
  app.add_option("--token-file", global.token_file,
                 "file holding the moderator token (else $COMMENTS_TOKEN, "
                 "then $COMMENTS_TOKEN_FILE)");
  app.add_flag("--tls", global.channel.tls,
               "use TLS with the system's root certificates");
  app.add_option("--ca-file", global.channel.ca_file,
                 "PEM root certificates to trust (implies --tls)")
      ->envname("COMMENTS_CA_FILE");
  app.add_option("--cert-file", global.channel.cert_file,
                 "PEM client certificate for mutual TLS (implies --tls)")
      ->envname("COMMENTS_CERT_FILE");
  app.add_option("--key-file", global.channel.key_file,
                 "PEM private key of --cert-file")
      ->envname("COMMENTS_KEY_FILE");
  app.add_option("--server-name", global.channel.server_name,
                 "name the server's certificate must carry, when it is not "
                 "the host of --server")
      ->envname("COMMENTS_TLS_SERVER_NAME");
  app.add_option("--timeout", global.timeout_seconds,
                 "seconds each call may take, retries included")
      ->envname("COMMENTS_TIMEOUT")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--json", global.json,
               "print JSON for scripts (JSON lines for watch); errors too");

  std::vector<Command> commands;

  cli::QueueOptions queue;
  CLI::App* queue_app = app.add_subcommand(
      "queue", "List comments waiting for moderation (or in another state).");
  queue_app
      ->add_option("--state", queue.state,
                   "pending, approved, rejected or spam")
      ->capture_default_str();
  queue_app->add_option("--thread", queue.thread, "only this thread");
  queue_app
      ->add_option("--limit", queue.limit, "show at most this many; 0 for all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  queue_app->add_option("--page-token", queue.page_token,
                        "continue where an earlier listing stopped");
  commands.push_back({queue_app, [&queue](Session& session) {
                        return cli::RunQueue(session, queue);
                      }});

  std::string show_name;
  CLI::App* show_app = app.add_subcommand(
      "show", "Show one comment with its email, flags and history.");
  show_app->add_option("name", show_name, "threads/THREAD/comments/ID")
      ->required();
  commands.push_back({show_app, [&show_name](Session& session) {
                        return cli::RunShow(session, show_name);
                      }});

  // approve, reject and spam differ only in their action and --reason.
  struct Moderate {
    const char* name;
    const char* help;
    comments::v1::ModerationAction action;
  };
  const Moderate moderate_commands[] = {
      {"approve", "Publish comments.", comments::v1::APPROVE},
      {"reject", "Reject comments, with a reason for the audit trail.",
       comments::v1::REJECT},
      {"spam", "Mark comments as spam.", comments::v1::MARK_SPAM}};
  std::vector<cli::ModerateOptions> moderate(std::size(moderate_commands));
  for (size_t i = 0; i < std::size(moderate_commands); ++i) {
    cli::ModerateOptions& options = moderate[i];
    options.action = moderate_commands[i].action;
    CLI::App* sub = app.add_subcommand(moderate_commands[i].name,
                                       moderate_commands[i].help);
    sub->add_option("names", options.names,
                    "threads/THREAD/comments/ID, one or more")
        ->required();
    sub->add_option("--etag", options.etag,
                    "refuse (exit 4) if the comment changed since this etag "
                    "was read; one comment only");
    if (options.action == comments::v1::REJECT) {
      sub->add_option("--reason", options.reason,
                      "why, for the audit trail (at most 1000 characters)");
    }
    commands.push_back({sub, [&options](Session& session) {
                          return cli::RunModerate(session, options);
                        }});
  }

  cli::BatchOptions batch;
  CLI::App* batch_app = app.add_subcommand(
      "batch",
      "One action on many comments: names from standard input (one or more "
      "per line, # starts a comment), or --from-queue.");
  batch_app->add_option("--action", batch.action, "approve, reject or spam")
      ->required();
  batch_app->add_option("--reason", batch.reason, "for --action reject");
  batch_app->add_flag("--from-queue", batch.from_queue,
                      "act on the comments a queue filter selects");
  batch_app->add_option("--state", batch.state, "with --from-queue: the state")
      ->capture_default_str();
  batch_app->add_option("--thread", batch.thread,
                        "with --from-queue: only this thread");
  batch_app
      ->add_option("--limit", batch.limit,
                   "with --from-queue: at most this many; 0 for all")
      ->check(CLI::NonNegativeNumber);
  batch_app->add_flag("--dry-run", batch.dry_run,
                      "list the comments that would be changed; change none");
  commands.push_back({batch_app, [&batch](Session& session) {
                        return cli::RunBatch(session, batch, std::cin);
                      }});

  cli::WatchOptions watch;
  CLI::App* watch_app = app.add_subcommand(
      "watch",
      "Print comments entering and leaving the queue as it happens, until "
      "Ctrl-C.");
  watch_app->add_option("--thread", watch.thread, "only this thread");
  watch_app->add_flag("--include-existing", watch.include_existing,
                      "start with every comment already pending");
  watch_app
      ->add_option("--max-events", watch.max_events,
                   "stop after this many events; 0 for no limit")
      ->check(CLI::NonNegativeNumber);
  watch_app->add_flag_function(
      "--no-reconnect", [&watch](int64_t) { watch.reconnect = false; },
      "exit (code 6) when the stream ends with UNAVAILABLE instead of "
      "watching again");
  commands.push_back({watch_app, [&watch](Session& session) {
                        return cli::RunWatch(session, watch);
                      }});

  cli::ReviewOptions review;
  CLI::App* review_app = app.add_subcommand(
      "review",
      "Work the queue one comment at a time: a key approves (a), rejects (r), "
      "marks spam (s), skips (n) or quits (q). On a terminal a single key "
      "press; from a pipe, one key per line.");
  review_app->add_option("--thread", review.thread, "only this thread");
  review_app->add_option("--reject-reason", review.reject_reason,
                         "the reason recorded for every rejection");
  commands.push_back({review_app, [&review](Session& session) {
                        cli::KeyReader keys(STDIN_FILENO);
                        return cli::RunReview(session, review, keys);
                      }});

  cli::LogOptions log;
  CLI::App* log_app = app.add_subcommand(
      "log", "The audit trail: who did what, when and why; oldest first.");
  log_app->add_option("name", log.comment,
                      "only this comment's trail (threads/THREAD/comments/ID)");
  log_app->add_option("--limit", log.limit, "show at most this many; 0 for all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  log_app->add_option("--page-token", log.page_token,
                      "continue where an earlier listing stopped");
  commands.push_back({log_app, [&log](Session& session) {
                        return cli::RunLog(session, log);
                      }});

  cli::EraseOptions erase;
  CLI::App* erase_app = app.add_subcommand(
      "erase",
      "Erase what is stored about one email address: anonymise the author's "
      "comments, or delete them. Idempotent.");
  erase_app
      ->add_option("email", erase.email,
                   "the address, or - to read it from standard input")
      ->required();
  erase_app->add_flag("--delete-comments", erase.delete_comments,
                      "delete the comments too, instead of anonymising them");
  erase_app->add_flag("--yes", erase.yes, "do not ask for confirmation");
  commands.push_back({erase_app, [&erase](Session& session) {
                        erase.interactive = isatty(STDIN_FILENO) == 1;
                        return cli::RunErase(session, erase, std::cin);
                      }});

  cli::SubmitOptions submit;
  CLI::App* submit_app = app.add_subcommand(
      "submit", "Submit a comment as a reader would (testing, scripting).");
  submit_app->add_option("--thread", submit.thread, "the article's thread")
      ->required();
  submit_app->add_option("--name", submit.author_name, "author name");
  submit_app->add_option("--email", submit.author_email, "author email");
  submit_app->add_option("--url", submit.author_url, "author website");
  submit_app->add_option("--body", submit.body,
                         "the comment (else --body-file, else standard input)");
  submit_app->add_option("--body-file", submit.body_file,
                         "file holding the comment");
  submit_app->add_option("--reply-to", submit.reply_to,
                         "threads/THREAD/comments/ID this comment answers");
  submit_app->add_option("--request-id", submit.request_id,
                         "UUID making retries safe; one is made if absent");
  commands.push_back({submit_app, [&submit](Session& session) {
                        return cli::RunSubmit(session, submit, std::cin);
                      }});

  cli::ListOptions list;
  CLI::App* list_app = app.add_subcommand(
      "list", "List a thread's approved comments, as the public sees them.");
  list_app->add_option("thread", list.thread, "THREAD or threads/THREAD")
      ->required();
  list_app
      ->add_option("--limit", list.limit, "show at most this many; 0 for all")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  list_app->add_option("--page-token", list.page_token,
                       "continue where an earlier listing stopped");
  commands.push_back({list_app, [&list](Session& session) {
                        return cli::RunList(session, list);
                      }});

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; every other parse error is a usage error.
    return app.exit(error) == 0 ? cli::kExitOk : cli::kExitUsage;
  }

  Session session(std::move(global), std::cout, std::cerr);
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run(session);
  }
  return cli::kExitUsage;
}
