// Opaque page tokens (AIP-158). A token carries the position after the last
// item of a page and a fingerprint of the query it belongs to, so a token is
// refused for a different query.
#ifndef COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_
#define COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::domain {

// google.rpc.ErrorInfo reasons of the errors below.
inline constexpr char kInvalidPageSizeReason[] = "INVALID_PAGE_SIZE";
inline constexpr char kInvalidPageTokenReason[] = "INVALID_PAGE_TOKEN";

struct PageRequest {
  int32_t page_size = 0;
  std::string page_token;
};

struct PageLimits {
  int default_page_size = 20;
  int max_page_size = 100;
};

// A validated page request: how many items, and the position to start after
// (0 for the first page).
struct Page {
  int size = 0;
  int64_t after = 0;
};

// `query` identifies the listing (e.g. "comments:threads/x"); a token made
// for one query is INVALID_ARGUMENT for another. Negative sizes and
// malformed tokens are INVALID_ARGUMENT naming "page_size" or "page_token".
absl::StatusOr<Page> ResolvePage(const PageRequest& request,
                                 std::string_view query,
                                 const PageLimits& limits);

// The token for the page that starts after `after`.
std::string MakePageToken(std::string_view query, int64_t after);

// Listings fetch page.size + 1 items to learn whether another page follows.
// Drops the extra item and returns the next page's token, or "" at the end.
// `position` gives an item's position (what Page::after counts).
template <typename Item, typename PositionFn>
std::string TrimToPage(std::vector<Item>& items, const Page& page,
                       std::string_view query, PositionFn position) {
  if (static_cast<int>(items.size()) <= page.size) return "";
  items.resize(page.size);
  return MakePageToken(query, position(items.back()));
}

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_
