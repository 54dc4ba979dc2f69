// Keyed hashes as one statement parameter. A lookup matches a hash under
// every key still in the hash key file (security/keyed_hash.h), so SQL takes
// a list of them: a JSON array of hex strings, which COMMENTS_HASH_LIST
// turns back into bytea for "= ANY (ARRAY ...)" or "IN".
#ifndef COMMENTS_SERVICE_STORAGE_KEYED_LOOKUP_H_
#define COMMENTS_SERVICE_STORAGE_KEYED_LOOKUP_H_

#include <string>
#include <vector>

// The rows of parameter $n as bytea, a subquery.
#define COMMENTS_HASH_LIST(n) \
  "(SELECT decode(jsonb_array_elements_text($" #n "::jsonb), 'hex'))"

namespace comments::storage {

std::string HashListParameter(const std::vector<std::string>& hashes);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_KEYED_LOOKUP_H_
