#include "client/cli/comment_view.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client/cli/display_text.h"
#include "client/cli/table.h"

namespace comments::cli {
namespace {

void Field(std::ostream& out, std::string_view label, std::string_view value) {
  // Values line up after the longest label, "user agent:".
  out << label << std::string(label.size() < 12 ? 12 - label.size() : 1, ' ')
      << (value.empty() ? std::string("-") : Printable(value)) << '\n';
}

}  // namespace

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S",
                          absl::FromUnixSeconds(time.seconds()),
                          absl::LocalTimeZone());
}

std::string StateName(v1::CommentState state) {
  if (state == v1::COMMENT_STATE_UNSPECIFIED) return "-";
  return v1::CommentState_Name(state);
}

std::optional<v1::CommentState> ParseState(std::string_view text) {
  v1::CommentState state;
  if (!v1::CommentState_Parse(absl::AsciiStrToUpper(std::string(text)),
                              &state) ||
      state == v1::COMMENT_STATE_UNSPECIFIED) {
    return std::nullopt;
  }
  return state;
}

std::optional<v1::ModerationAction> ParseAction(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(std::string(text));
  if (lower == "approve") return v1::APPROVE;
  if (lower == "reject") return v1::REJECT;
  if (lower == "spam" || lower == "mark_spam") return v1::MARK_SPAM;
  return std::nullopt;
}

std::string ActionName(v1::ModerationAction action) {
  if (action == v1::MODERATION_ACTION_UNSPECIFIED) return "-";
  return v1::ModerationAction_Name(action);
}

std::string ThreadName(std::string_view thread) {
  std::string name(thread);
  if (absl::StartsWith(name, "threads/")) return name;
  return absl::StrCat("threads/", name);
}

void PrintModeratedComment(std::ostream& out,
                           const v1::ModeratedComment& moderated) {
  const v1::Comment& comment = moderated.comment();
  Field(out, "name:", comment.name());
  Field(out, "state:", StateName(comment.state()));
  Field(out, "author:", comment.author_name());
  Field(out, "email:", moderated.author_email());
  Field(out, "website:", comment.author_url());
  Field(out, "reply to:", comment.reply_to());
  Field(out, "client ip:", moderated.client_ip());
  Field(out, "user agent:", moderated.user_agent());
  Field(out, "flags:", absl::StrJoin(moderated.flags(), ", "));
  Field(out, "created:", FormatTime(comment.create_time()));
  Field(out, "updated:", FormatTime(moderated.update_time()));
  Field(out, "etag:", moderated.etag());
  out << '\n';
  for (absl::string_view line :
       absl::StrSplit(Printable(comment.body(), /*multiline=*/true), '\n')) {
    out << "    " << line << '\n';
  }
  if (moderated.history_size() > 0) {
    out << "\nhistory:\n";
    Table history({"TIME", "MODERATOR", "ACTION", "FROM", "TO", "REASON"});
    for (const v1::ModerationEvent& event : moderated.history()) {
      history.AddRow({FormatTime(event.create_time()), event.moderator(),
                      ActionName(event.action()), StateName(event.from_state()),
                      StateName(event.to_state()), event.reason()});
    }
    history.Print(out);
  }
}

}  // namespace comments::cli
