// queue, show, log and list: the read-only commands.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/commands.h"
#include "client/cli/comment_view.h"
#include "client/cli/exit_codes.h"
#include "client/cli/json_output.h"
#include "client/cli/paging.h"
#include "client/cli/table.h"

namespace comments::cli {
namespace {

// Bodies are cut to this many columns in tables; `show` prints them whole.
constexpr size_t kBodyColumns = 50;

// Tells how to continue where the output stopped.
void PrintMore(Session& session, const std::string& next_page_token) {
  if (next_page_token.empty()) return;
  session.out() << "more: repeat with --page-token " << next_page_token << '\n';
}

}  // namespace

int RunQueue(Session& session, const QueueOptions& options) {
  const std::optional<v1::CommentState> state = ParseState(options.state);
  if (!state.has_value()) {
    return session.Fail(absl::InvalidArgumentError(
        "--state must be pending, approved, rejected or spam"));
  }
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  v1::ListQueueRequest request;
  request.set_state(*state);
  if (!options.thread.empty()) request.set_parent(ThreadName(options.thread));
  request.set_page_token(options.page_token);
  auto queue = CollectQueue(**client, std::move(request), options.limit);
  if (!queue.ok()) return session.Fail(queue.status());

  if (session.json()) {
    session.PrintJson(ToJson(*queue));
    return kExitOk;
  }
  Table table({"NAME", "AUTHOR", "EMAIL", "FLAGS", "CREATED", "BODY"});
  table.SetMaxWidth(1, 24);
  table.SetMaxWidth(2, 32);
  table.SetMaxWidth(5, kBodyColumns);
  for (const v1::ModeratedComment& moderated : queue->comments()) {
    const v1::Comment& comment = moderated.comment();
    table.AddRow({comment.name(), comment.author_name(),
                  moderated.author_email(),
                  absl::StrJoin(moderated.flags(), ","),
                  FormatTime(comment.create_time()), comment.body()});
  }
  if (!table.empty()) table.Print(session.out());
  session.out() << queue->comments_size() << " of " << queue->total_size()
                << ' ' << StateName(*state) << " comments\n";
  PrintMore(session, queue->next_page_token());
  return kExitOk;
}

int RunShow(Session& session, const std::string& name) {
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  auto comment = (*client)->GetModeratedComment(name);
  if (!comment.ok()) return session.Fail(comment.status(), name);
  if (session.json()) {
    session.PrintJson(ToJson(*comment));
  } else {
    PrintModeratedComment(session.out(), *comment);
  }
  return kExitOk;
}

int RunLog(Session& session, const LogOptions& options) {
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  v1::ListModerationEventsRequest request;
  request.set_comment(options.comment);
  request.set_page_token(options.page_token);
  auto events = CollectEvents(**client, std::move(request), options.limit);
  if (!events.ok()) return session.Fail(events.status(), options.comment);

  if (session.json()) {
    session.PrintJson(ToJson(*events));
    return kExitOk;
  }
  Table table(
      {"TIME", "MODERATOR", "ACTION", "FROM", "TO", "COMMENT", "REASON"});
  table.SetMaxWidth(6, kBodyColumns);
  for (const v1::ModerationEvent& event : events->events()) {
    table.AddRow({FormatTime(event.create_time()), event.moderator(),
                  ActionName(event.action()), StateName(event.from_state()),
                  StateName(event.to_state()),
                  event.comment().empty() ? "-" : event.comment(),
                  event.reason()});
  }
  if (table.empty()) {
    session.out() << "no moderation events\n";
  } else {
    table.Print(session.out());
  }
  PrintMore(session, events->next_page_token());
  return kExitOk;
}

int RunList(Session& session, const ListOptions& options) {
  auto client = session.Comments();
  if (!client.ok()) return session.Fail(client.status());
  v1::ListCommentsRequest request;
  request.set_parent(ThreadName(options.thread));
  request.set_page_token(options.page_token);
  auto comments = CollectComments(**client, std::move(request), options.limit);
  if (!comments.ok()) return session.Fail(comments.status());

  if (session.json()) {
    session.PrintJson(ToJson(*comments));
    return kExitOk;
  }
  Table table({"NAME", "AUTHOR", "CREATED", "BODY"});
  table.SetMaxWidth(1, 24);
  table.SetMaxWidth(3, kBodyColumns);
  for (const v1::Comment& comment : comments->comments()) {
    table.AddRow({comment.name(), comment.author_name(),
                  FormatTime(comment.create_time()), comment.body()});
  }
  if (table.empty()) {
    session.out() << "no approved comments\n";
  } else {
    table.Print(session.out());
  }
  PrintMore(session, comments->next_page_token());
  return kExitOk;
}

}  // namespace comments::cli
