// review: the queue one comment at a time; a single key decides each.
#include <set>
#include <string>
#include <vector>

#include "client/cli/commands.h"
#include "client/cli/comment_view.h"
#include "client/cli/exit_codes.h"
#include "client/cli/status_output.h"

namespace comments::cli {
namespace {

constexpr int kPageSize = 20;

enum class Decision { kApprove, kReject, kSpam, kSkip, kQuit };

struct Tally {
  std::vector<std::string> approved;
  std::vector<std::string> rejected;
  std::vector<std::string> spam;
  std::vector<std::string> skipped;
  // Changed by someone else between display and decision.
  std::vector<std::string> conflicts;
};

Decision AskDecision(std::ostream& view, KeySource& keys) {
  while (true) {
    view << "[a]pprove [r]eject [s]pam [n]ext [q]uit? " << std::flush;
    const std::optional<char> key = keys.NextKey();
    if (!key.has_value()) {
      view << '\n';
      return Decision::kQuit;
    }
    view << *key << '\n';
    switch (*key) {
      case 'a':
        return Decision::kApprove;
      case 'r':
        return Decision::kReject;
      case 's':
        return Decision::kSpam;
      case 'n':
        return Decision::kSkip;
      case 'q':
        return Decision::kQuit;
      default:
        view << "unknown key: use a, r, s, n or q\n";
    }
  }
}

// Applies `decision` with the etag that was shown, so a comment another
// moderator changed meanwhile is not overruled.
absl::StatusOr<v1::ModeratedComment> Apply(client::ModerationClient& client,
                                           Decision decision,
                                           const v1::ModeratedComment& shown,
                                           const std::string& reason) {
  const std::string& name = shown.comment().name();
  switch (decision) {
    case Decision::kApprove: {
      v1::ApproveCommentRequest request;
      request.set_name(name);
      request.set_etag(shown.etag());
      return client.ApproveComment(request);
    }
    case Decision::kReject: {
      v1::RejectCommentRequest request;
      request.set_name(name);
      request.set_etag(shown.etag());
      request.set_reason(reason);
      return client.RejectComment(request);
    }
    default: {
      v1::MarkCommentSpamRequest request;
      request.set_name(name);
      request.set_etag(shown.etag());
      return client.MarkCommentSpam(request);
    }
  }
}

void PrintSummary(Session& session, const Tally& tally) {
  if (session.json()) {
    session.PrintJson({{"approved", tally.approved},
                       {"rejected", tally.rejected},
                       {"spam", tally.spam},
                       {"skipped", tally.skipped},
                       {"conflicts", tally.conflicts}});
    return;
  }
  session.out() << "approved " << tally.approved.size() << ", rejected "
                << tally.rejected.size() << ", spam " << tally.spam.size()
                << ", skipped " << tally.skipped.size();
  if (!tally.conflicts.empty()) {
    session.out() << ", changed by others " << tally.conflicts.size();
  }
  session.out() << '\n';
}

}  // namespace

int RunReview(Session& session, const ReviewOptions& options, KeySource& keys) {
  auto client = session.Moderation();
  if (!client.ok()) return session.Fail(client.status());
  // With --json, standard output carries only the summary document.
  std::ostream& view = session.json() ? session.err() : session.out();

  Tally tally;
  std::set<std::string> seen;
  v1::ListQueueRequest request;
  request.set_state(v1::PENDING);
  if (!options.thread.empty()) request.set_parent(ThreadName(options.thread));
  request.set_page_size(kPageSize);
  bool quit = false;
  while (!quit) {
    auto page = (*client)->ListQueue(request);
    if (!page.ok()) {
      PrintSummary(session, tally);
      return session.Fail(page.status());
    }
    bool found = false;
    for (const v1::ModeratedComment& comment : page->comments()) {
      const std::string& name = comment.comment().name();
      if (!seen.insert(name).second) continue;
      found = true;
      view << '\n';
      PrintModeratedComment(view, comment);
      view << '\n';
      const Decision decision = AskDecision(view, keys);
      if (decision == Decision::kQuit) {
        quit = true;
        break;
      }
      if (decision == Decision::kSkip) {
        tally.skipped.push_back(name);
        continue;
      }
      auto result = Apply(**client, decision, comment, options.reject_reason);
      if (result.ok()) {
        view << "-> " << StateName(result->comment().state()) << '\n';
        (decision == Decision::kApprove  ? tally.approved
         : decision == Decision::kReject ? tally.rejected
                                         : tally.spam)
            .push_back(name);
        continue;
      }
      const absl::StatusCode code = result.status().code();
      if (code == absl::StatusCode::kAborted ||
          code == absl::StatusCode::kFailedPrecondition ||
          code == absl::StatusCode::kNotFound) {
        // Someone else got there first; their decision stands.
        view << "-> not changed: " << CodeName(code)
             << " (changed by someone else since it was shown)\n";
        tally.conflicts.push_back(name);
        continue;
      }
      PrintSummary(session, tally);
      return session.Fail(result.status(), name);
    }
    if (quit) break;
    if (found) {
      // Decisions moved the queue: look again from its start.
      request.clear_page_token();
    } else if (!page->next_page_token().empty()) {
      request.set_page_token(page->next_page_token());
    } else {
      view << "nothing more to review\n";
      break;
    }
  }
  PrintSummary(session, tally);
  return kExitOk;
}

}  // namespace comments::cli
