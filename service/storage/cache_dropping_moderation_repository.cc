#include "service/storage/cache_dropping_moderation_repository.h"

namespace comments::storage {

absl::StatusOr<ModeratedRecord> CacheDroppingModerationRepository::Apply(
    const Transition& transition, absl::Time deadline) {
  absl::StatusOr<ModeratedRecord> applied =
      repository_->Apply(transition, deadline);
  if (applied.ok()) cache_->Invalidate(transition.thread);
  return applied;
}

absl::StatusOr<std::vector<absl::StatusOr<ModeratedRecord>>>
CacheDroppingModerationRepository::ApplyBatch(
    const std::vector<Transition>& transitions, absl::Time deadline) {
  auto applied = repository_->ApplyBatch(transitions, deadline);
  if (applied.ok()) {
    for (size_t i = 0; i < transitions.size() && i < applied->size(); ++i) {
      if ((*applied)[i].ok()) cache_->Invalidate(transitions[i].thread);
    }
  }
  return applied;
}

absl::StatusOr<int64_t> CacheDroppingModerationRepository::Erase(
    const Erasure& erasure, absl::Time deadline) {
  absl::StatusOr<int64_t> erased = repository_->Erase(erasure, deadline);
  if (erased.ok() && *erased > 0) cache_->DropAll();
  return erased;
}

}  // namespace comments::storage
