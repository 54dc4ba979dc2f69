// approve, reject, spam and batch: the commands that change comments.
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli/commands.h"
#include "client/cli/comment_view.h"
#include "client/cli/exit_codes.h"
#include "client/cli/json_output.h"
#include "client/cli/paging.h"
#include "client/cli/status_output.h"
#include "client/cli/table.h"
#include "client/lib/call_support.h"

namespace comments::cli {
namespace {

// The most names BatchModerateComments takes in one call.
constexpr int kMaxBatch = 500;

using Results = v1::BatchModerateCommentsResponse;

absl::StatusOr<v1::ModeratedComment> ModerateOne(
    client::ModerationClient& client, v1::ModerationAction action,
    const std::string& name, const std::string& etag,
    const std::string& reason) {
  switch (action) {
    case v1::APPROVE: {
      v1::ApproveCommentRequest request;
      request.set_name(name);
      request.set_etag(etag);
      return client.ApproveComment(request);
    }
    case v1::REJECT: {
      v1::RejectCommentRequest request;
      request.set_name(name);
      request.set_etag(etag);
      request.set_reason(reason);
      return client.RejectComment(request);
    }
    case v1::MARK_SPAM: {
      v1::MarkCommentSpamRequest request;
      request.set_name(name);
      request.set_etag(etag);
      return client.MarkCommentSpam(request);
    }
    default:
      return absl::InvalidArgumentError("unsupported action");
  }
}

// Acts on `names` in batches of kMaxBatch, appending each comment's result.
// A failed call stops there; the results of earlier batches are kept.
absl::Status ModerateMany(client::ModerationClient& client,
                          v1::ModerationAction action,
                          const std::vector<std::string>& names,
                          const std::string& reason, Results& results) {
  for (size_t start = 0; start < names.size(); start += kMaxBatch) {
    v1::BatchModerateCommentsRequest request;
    request.set_action(action);
    request.set_reason(reason);
    for (size_t i = start; i < names.size() && i < start + kMaxBatch; ++i) {
      request.add_names(names[i]);
    }
    auto batch = client.BatchModerateComments(request);
    if (!batch.ok()) return batch.status();
    for (auto& result : *batch->mutable_results()) {
      *results.add_results() = std::move(result);
    }
  }
  return absl::OkStatus();
}

// Prints every result (table or JSON on stdout), every failure on stderr,
// and returns the exit code of the first failure, if any.
int Report(Session& session, const Results& results,
           const absl::Status& call_status) {
  if (session.json()) {
    session.PrintJson(ToJson(results));
  } else if (results.results_size() > 0) {
    Table table({"NAME", "RESULT", "STATE"});
    for (const auto& result : results.results()) {
      const absl::Status status = client::FromRpcStatus(result.status());
      table.AddRow(
          {result.name(), CodeName(status.code()),
           status.ok() ? StateName(result.comment().comment().state()) : "-"});
    }
    table.Print(session.out());
  }
  int exit_code = kExitOk;
  for (const auto& result : results.results()) {
    const absl::Status status = client::FromRpcStatus(result.status());
    if (status.ok()) continue;
    const int code = session.Fail(status, result.name());
    if (exit_code == kExitOk) exit_code = code;
  }
  if (!call_status.ok()) {
    const int code = session.Fail(call_status);
    if (exit_code == kExitOk) exit_code = code;
  }
  return exit_code;
}

std::vector<std::string> ReadNames(std::istream& in) {
  std::vector<std::string> names;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view content = line;
    content = content.substr(0, content.find('#'));
    for (absl::string_view name :
         absl::StrSplit(content, absl::ByAnyChar(" \t\r"), absl::SkipEmpty())) {
      names.emplace_back(name);
    }
  }
  return names;
}

// Keeps the first occurrence of each name, in order: acting twice on one
// comment would only report a conflict for the second.
std::vector<std::string> Unique(std::vector<std::string> names) {
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (std::string& name : names) {
    if (seen.insert(name).second) unique.push_back(std::move(name));
  }
  return unique;
}

}  // namespace

int RunModerate(Session& session, const ModerateOptions& options) {
  if (options.names.empty()) {
    return session.Fail(
        absl::InvalidArgumentError("name at least one comment"));
  }
  if (!options.etag.empty() && options.names.size() > 1) {
    return session.Fail(absl::InvalidArgumentError(
        "--etag applies to one comment; name only one with it"));
  }
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  Results results;
  absl::Status call_status;
  if (options.names.size() == 1) {
    const std::string& name = options.names.front();
    auto comment = ModerateOne(**client, options.action, name, options.etag,
                               options.reason);
    auto* result = results.add_results();
    result->set_name(name);
    if (comment.ok()) {
      // An OK status (code 0) as the batch call gives, so the output has
      // the same shape either way.
      result->mutable_status();
      *result->mutable_comment() = *std::move(comment);
    } else {
      *result->mutable_status() = ToRpcStatus(comment.status());
    }
  } else {
    call_status = ModerateMany(**client, options.action, Unique(options.names),
                               options.reason, results);
  }
  return Report(session, results, call_status);
}

int RunBatch(Session& session, const BatchOptions& options,
             std::istream& names_in) {
  const std::optional<v1::ModerationAction> action =
      ParseAction(options.action);
  if (!action.has_value()) {
    return session.Fail(
        absl::InvalidArgumentError("--action must be approve, reject or spam"));
  }
  if (!options.reason.empty() && *action != v1::REJECT) {
    return session.Fail(
        absl::InvalidArgumentError("--reason goes with --action reject"));
  }
  if (!options.from_queue && (!options.thread.empty() || options.limit != 0)) {
    return session.Fail(absl::InvalidArgumentError(
        "--thread and --limit select from the queue: add --from-queue"));
  }
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());

  std::vector<std::string> names;
  if (options.from_queue) {
    const std::optional<v1::CommentState> state = ParseState(options.state);
    if (!state.has_value()) {
      return session.Fail(absl::InvalidArgumentError(
          "--state must be pending, approved, rejected or spam"));
    }
    v1::ListQueueRequest request;
    request.set_state(*state);
    if (!options.thread.empty()) {
      request.set_parent(ThreadName(options.thread));
    }
    // Every name is gathered before the first change, so the changes cannot
    // shift the pages being read.
    auto queue = CollectQueue(**client, std::move(request), options.limit);
    if (!queue.ok()) return session.Fail(queue.status());
    for (const auto& comment : queue->comments()) {
      names.push_back(comment.comment().name());
    }
  } else {
    names = ReadNames(names_in);
  }
  names = Unique(std::move(names));

  if (options.dry_run) {
    if (session.json()) {
      session.PrintJson({{"dry_run", true},
                         {"action", ActionName(*action)},
                         {"names", names}});
    } else {
      for (const std::string& name : names) {
        session.out() << "would " << absl::AsciiStrToLower(options.action)
                      << ' ' << name << '\n';
      }
      session.out() << names.size() << " comments\n";
    }
    return kExitOk;
  }
  Results results;
  const absl::Status call_status =
      names.empty()
          ? absl::OkStatus()
          : ModerateMany(**client, *action, names, options.reason, results);
  if (names.empty() && !session.json()) {
    session.out() << "no comments to " << absl::AsciiStrToLower(options.action)
                  << '\n';
    return kExitOk;
  }
  return Report(session, results, call_status);
}

}  // namespace comments::cli
