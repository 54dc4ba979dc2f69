#include "client/cli/paging.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace comments::cli {
namespace {

// The server's maximum page size.
constexpr int kMaxPageSize = 100;

// `fetch` gets one page for a request; `items` gives a response's repeated
// field, into which the pages are merged.
template <typename Request, typename Fetch, typename Items>
auto Collect(Request request, int limit, Fetch fetch, Items items)
    -> absl::StatusOr<std::decay_t<decltype(*fetch(request))>> {
  using Response = std::decay_t<decltype(*fetch(request))>;
  Response all;
  while (true) {
    const int collected = items(all)->size();
    request.set_page_size(
        limit <= 0 ? kMaxPageSize : std::min(kMaxPageSize, limit - collected));
    auto page = fetch(request);
    if (!page.ok()) return page.status();
    for (auto& item : *items(*page)) *items(all)->Add() = std::move(item);
    all.set_next_page_token(page->next_page_token());
    if constexpr (std::is_same_v<Response, v1::ListQueueResponse>) {
      all.set_total_size(page->total_size());
    }
    const bool full = limit > 0 && items(all)->size() >= limit;
    if (full || page->next_page_token().empty()) return all;
    request.set_page_token(page->next_page_token());
  }
}

}  // namespace

absl::StatusOr<v1::ListQueueResponse> CollectQueue(
    client::ModerationClient& client, v1::ListQueueRequest request, int limit) {
  return Collect(
      std::move(request), limit,
      [&client](const v1::ListQueueRequest& page) {
        return client.ListQueue(page);
      },
      [](v1::ListQueueResponse& response) {
        return response.mutable_comments();
      });
}

absl::StatusOr<v1::ListModerationEventsResponse> CollectEvents(
    client::ModerationClient& client, v1::ListModerationEventsRequest request,
    int limit) {
  return Collect(
      std::move(request), limit,
      [&client](const v1::ListModerationEventsRequest& page) {
        return client.ListModerationEvents(page);
      },
      [](v1::ListModerationEventsResponse& response) {
        return response.mutable_events();
      });
}

absl::StatusOr<v1::ListCommentsResponse> CollectComments(
    client::CommentClient& client, v1::ListCommentsRequest request, int limit) {
  return Collect(
      std::move(request), limit,
      [&client](const v1::ListCommentsRequest& page) {
        return client.ListComments(page);
      },
      [](v1::ListCommentsResponse& response) {
        return response.mutable_comments();
      });
}

}  // namespace comments::cli
