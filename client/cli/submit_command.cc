// submit: posts a comment as a reader would, for testing and scripting.
#include <fstream>
#include <istream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/comment_view.h"
#include "client/cli/exit_codes.h"
#include "client/cli/json_output.h"
#include "client/cli/table.h"

namespace comments::cli {

int RunSubmit(Session& session, const SubmitOptions& options,
              std::istream& in) {
  std::string body = options.body;
  if (body.empty() && !options.body_file.empty()) {
    std::ifstream file(options.body_file, std::ios::binary);
    if (!file) {
      return session.Fail(absl::InvalidArgumentError(
          absl::StrCat("cannot read --body-file ", options.body_file)));
    }
    body.assign(std::istreambuf_iterator<char>(file),
                std::istreambuf_iterator<char>());
  } else if (body.empty()) {
    body.assign(std::istreambuf_iterator<char>(in),
                std::istreambuf_iterator<char>());
  }
  auto client = session.Comments();
  if (!client.ok()) return session.Fail(client.status());

  v1::CreateCommentRequest request;
  request.set_parent(ThreadName(options.thread));
  request.set_request_id(options.request_id);
  v1::CommentDraft& draft = *request.mutable_comment();
  draft.set_author_name(options.author_name);
  draft.set_author_email(options.author_email);
  draft.set_author_url(options.author_url);
  draft.set_body(body);
  draft.set_reply_to(options.reply_to);
  auto comment = (*client)->CreateComment(std::move(request));
  if (!comment.ok()) return session.Fail(comment.status());

  if (session.json()) {
    session.PrintJson(ToJson(*comment));
  } else {
    Table table({"NAME", "STATE", "CREATED"});
    table.AddRow({comment->name(), StateName(comment->state()),
                  FormatTime(comment->create_time())});
    table.Print(session.out());
  }
  return kExitOk;
}

}  // namespace comments::cli
