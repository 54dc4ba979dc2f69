#ifndef COMMENTS_SERVICE_COMMON_UUID_H_
#define COMMENTS_SERVICE_COMMON_UUID_H_

#include <string>

namespace comments {

// A random (version 4) UUID in lower-case canonical text form.
std::string NewUuid();

}  // namespace comments

#endif  // COMMENTS_SERVICE_COMMON_UUID_H_
