// Translation between moderation records and the ModerationService messages.
#ifndef COMMENTS_SERVICE_API_MODERATION_MAPPING_H_
#define COMMENTS_SERVICE_API_MODERATION_MAPPING_H_

#include <optional>

#include "comments/v1/moderation.pb.h"
#include "service/app/moderate_comments.h"
#include "service/domain/moderation.h"
#include "service/security/email_cipher.h"
#include "service/storage/moderation_record.h"
#include "service/storage/queue_change.h"

namespace comments::api {

v1::ModerationAction ToProto(domain::ModerationAction action);
// APPROVE, REJECT and MARK_SPAM; nullopt for anything else (ERASE is not a
// decision on a comment).
std::optional<domain::ModerationAction> DecisionFromProto(
    v1::ModerationAction action);

void ToModerationEvent(const storage::ModerationEventRecord& event,
                       v1::ModerationEvent* out);

// The moderators' view, with the email decrypted. A ciphertext that does not
// decrypt (a key removed from the key file, a damaged row) leaves the email
// empty and is logged with the comment id, so one bad row cannot hide the
// rest of the queue.
void ToModeratedComment(const storage::ModeratedRecord& record,
                        const security::EmailCipher& cipher,
                        v1::ModeratedComment* out);

void ToQueueEvent(const storage::QueueChange& change, v1::QueueEvent* out);

// Requests as the use case (app/moderate_comments.h) takes them; it checks
// every field.
app::QueueListing ToQueueListing(const v1::ListQueueRequest& request);
app::BatchDecision ToBatchDecision(
    const v1::BatchModerateCommentsRequest& request);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_MODERATION_MAPPING_H_
