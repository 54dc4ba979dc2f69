// commentctl's commands, one Run function each, taking their parsed options
// (main.cc defines the command line). Each returns the process exit code
// (exit_codes.h) after writing its output through the Session.
#ifndef COMMENTS_CLIENT_CLI_COMMANDS_H_
#define COMMENTS_CLIENT_CLI_COMMANDS_H_

#include <istream>
#include <string>
#include <vector>

#include "client/cli/key_reader.h"
#include "client/cli/session.h"
#include "comments/v1/moderation.pb.h"

namespace comments::cli {

// Comments of one state, oldest first, at most `limit` (0: all).
struct QueueOptions {
  std::string state = "pending";
  std::string thread;
  int limit = 50;
  std::string page_token;
};
int RunQueue(Session& session, const QueueOptions& options);

int RunShow(Session& session, const std::string& name);

// The audit trail, of one comment when `comment` is set.
struct LogOptions {
  std::string comment;
  int limit = 100;
  std::string page_token;
};
int RunLog(Session& session, const LogOptions& options);

// Approved comments of a thread, as the public sees them.
struct ListOptions {
  std::string thread;
  int limit = 100;
  std::string page_token;
};
int RunList(Session& session, const ListOptions& options);

// approve / reject / spam of the named comments: one call with the etag for
// a single name, batch calls for several.
struct ModerateOptions {
  v1::ModerationAction action = v1::APPROVE;
  std::vector<std::string> names;
  std::string etag;
  std::string reason;
};
int RunModerate(Session& session, const ModerateOptions& options);

// One action on many comments: names read from `names_in` (whitespace
// separated, '#' starts a comment), or every comment matching a queue filter.
struct BatchOptions {
  std::string action;
  std::string reason;
  bool from_queue = false;
  std::string state = "pending";
  std::string thread;
  int limit = 0;
  bool dry_run = false;
};
int RunBatch(Session& session, const BatchOptions& options,
             std::istream& names_in);

// Queue events as they happen, until interrupted (SIGINT, SIGTERM, SIGHUP
// when `handle_signals`), `max_events` were shown, or the stream ends with
// an error other than UNAVAILABLE (on which it reconnects, unless not
// `reconnect`).
struct WatchOptions {
  std::string thread;
  bool include_existing = false;
  int max_events = 0;
  bool reconnect = true;
  bool handle_signals = true;
};
int RunWatch(Session& session, const WatchOptions& options);

// One pending comment at a time; a key decides each.
struct ReviewOptions {
  std::string thread;
  std::string reject_reason;
};
int RunReview(Session& session, const ReviewOptions& options, KeySource& keys);

// Erase one author's data. The address comes from `email`, or from the
// first line of `in` when `email` is "-" (keeping it out of shell history).
// A terminal user confirms a deletion unless `yes`.
struct EraseOptions {
  std::string email;
  bool delete_comments = false;
  bool yes = false;
  bool interactive = false;
};
int RunErase(Session& session, const EraseOptions& options, std::istream& in);

// A reader's comment, as the web form would send it; the body comes from
// `body`, `body_file`, or else `in`.
struct SubmitOptions {
  std::string thread;
  std::string author_name;
  std::string author_email;
  std::string author_url;
  std::string body;
  std::string body_file;
  std::string reply_to;
  std::string request_id;
};
int RunSubmit(Session& session, const SubmitOptions& options, std::istream& in);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_COMMANDS_H_
