#include "service/common/uuid.h"

#include <uuid/uuid.h>

namespace comments {

std::string NewUuid() {
  uuid_t raw;
  uuid_generate_random(raw);
  char text[37];
  uuid_unparse_lower(raw, text);
  return std::string(text);
}

}  // namespace comments
