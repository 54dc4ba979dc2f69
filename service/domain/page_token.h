// Opaque page tokens (AIP-158). A token carries the position after the last
// item of a page, sealed by a PageTokenCodec for the query it belongs to: a
// token is refused for a different query, and a changed byte is refused.
#ifndef COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_
#define COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace comments::domain {

// Turns a position into a token and back. Positions are storage sequence
// numbers, which tell how many comments the whole site has received: an
// implementation must keep them secret and make tokens unforgeable
// (security/page_token_cipher.h encrypts and authenticates them).
class PageTokenCodec {
 public:
  virtual ~PageTokenCodec() = default;
  // A URL-safe token for the page of `query` that starts after `after`.
  virtual std::string Seal(std::string_view query, int64_t after) const = 0;
  // The position of a token Seal made for the same `query`; nullopt for any
  // other token, changed, truncated or made for another query.
  virtual std::optional<int64_t> Open(std::string_view token,
                                      std::string_view query) const = 0;
};

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

// `query` identifies the listing and every parameter that shapes it (e.g.
// "comments:threads/x"); a token made for one query is INVALID_ARGUMENT for
// another. Negative sizes and bad tokens are INVALID_ARGUMENT naming
// "page_size" or "page_token" (reason kInvalidPageSize or kInvalidPageToken,
// that of the first bad field).
absl::StatusOr<Page> ResolvePage(const PageRequest& request,
                                 std::string_view query,
                                 const PageLimits& limits,
                                 const PageTokenCodec& codec);

// Listings fetch page.size + 1 items to learn whether another page follows.
// Drops the extra item and returns the next page's token, or "" at the end.
// `position` gives an item's position (what Page::after counts).
template <typename Item, typename PositionFn>
std::string TrimToPage(std::vector<Item>& items, const Page& page,
                       std::string_view query, const PageTokenCodec& codec,
                       PositionFn position) {
  if (static_cast<int>(items.size()) <= page.size) return "";
  items.resize(page.size);
  return codec.Seal(query, position(items.back()));
}

}  // namespace comments::domain

#endif  // COMMENTS_SERVICE_DOMAIN_PAGE_TOKEN_H_
