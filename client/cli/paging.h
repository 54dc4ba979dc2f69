// Walks the paginated list calls up to a number of items, so commands can
// show "the first N" or everything, whatever the server's page size.
#ifndef COMMENTS_CLIENT_CLI_PAGING_H_
#define COMMENTS_CLIENT_CLI_PAGING_H_

#include "absl/status/statusor.h"
#include "client/lib/comment_client.h"
#include "client/lib/moderation_client.h"

namespace comments::cli {

// Each gathers pages starting at the request's page_token until `limit`
// items (0: no limit) or the last page. The result's next_page_token
// continues after the last item returned; total_size is the server's.
absl::StatusOr<v1::ListQueueResponse> CollectQueue(
    client::ModerationClient& client, v1::ListQueueRequest request, int limit);
absl::StatusOr<v1::ListModerationEventsResponse> CollectEvents(
    client::ModerationClient& client, v1::ListModerationEventsRequest request,
    int limit);
absl::StatusOr<v1::ListCommentsResponse> CollectComments(
    client::CommentClient& client, v1::ListCommentsRequest request, int limit);

}  // namespace comments::cli

#endif  // COMMENTS_CLIENT_CLI_PAGING_H_
