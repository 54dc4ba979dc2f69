// comments_rules_doc FILE: rewrites the rules-file table of the Markdown
// FILE (between the marker lines of rules_doc.h) from the key table.
// scripts/update-rules-doc.sh runs it on docs/auto-moderation.md.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/statusor.h"
#include "service/config/rules_doc.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s MARKDOWN_FILE\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  in.close();
  absl::StatusOr<std::string> updated =
      comments::config::WithRulesKeysTable(text.str());
  if (!updated.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(),
                 std::string(updated.status().message()).c_str());
    return 1;
  }
  if (*updated == text.str()) return 0;
  std::ofstream out(path, std::ios::trunc);
  out << *updated;
  if (!out.flush()) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    return 1;
  }
  return 0;
}
