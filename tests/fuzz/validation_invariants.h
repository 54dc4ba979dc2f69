// The promises of ValidateCreateComment (service/domain/validation.h) that
// hold for every input, checked by the harnesses that reach it.
#ifndef COMMENTS_TESTS_FUZZ_VALIDATION_INVARIANTS_H_
#define COMMENTS_TESTS_FUZZ_VALIDATION_INVARIANTS_H_

#include "service/domain/validation.h"

namespace comments::fuzz {

// Validates `input` under `limits` and aborts when the answer breaks a
// promise: an accepted comment with a field over its limit, not valid
// UTF-8, or not what the input said; a refusal without a known field path,
// or whose description quotes the email address.
void CheckValidation(const domain::CreateCommentInput& input,
                     const domain::ValidationLimits& limits);

// The product's limits and a tight set, so that limits are hit by short
// inputs too.
const domain::ValidationLimits& DefaultLimits();
const domain::ValidationLimits& TightLimits();

}  // namespace comments::fuzz

#endif  // COMMENTS_TESTS_FUZZ_VALIDATION_INVARIANTS_H_
