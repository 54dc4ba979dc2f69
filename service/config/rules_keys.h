// Every key of the rules file, declared once (rules_keys.cc). The parser,
// its defaults and error messages, the docs' table of keys and the check of
// examples/rules.yaml all read this table, so they cannot disagree.
#ifndef COMMENTS_SERVICE_CONFIG_RULES_KEYS_H_
#define COMMENTS_SERVICE_CONFIG_RULES_KEYS_H_

#include <vector>

#include "service/config/rules_key.h"

namespace comments::config {

// In the order the docs list them and errors are reported.
const std::vector<RulesKey>& RulesKeys();

// Rules between keys, checked when every key has a good value.
const std::vector<RulesKeyRelation>& RulesKeyRelations();

}  // namespace comments::config

#endif  // COMMENTS_SERVICE_CONFIG_RULES_KEYS_H_
