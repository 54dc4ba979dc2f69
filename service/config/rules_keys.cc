#include "service/config/rules_keys.h"

namespace comments::config {

// The member of RulesConfig a key sets.
#define RULES_FIELD(member) [](RulesConfig* config) { return &config->member; }

const std::vector<RulesKey>& RulesKeys() {
  static const std::vector<RulesKey>* const keys = new std::vector<RulesKey>{
      ChoiceKey<domain::ModerationMode>(
          "moderation.mode",
          {{"pre", domain::ModerationMode::kPreModeration},
           {"post", domain::ModerationMode::kPostModeration}},
          "pre",
          "`pre`: every comment `PENDING` unless a rule approves it; `post`: "
          "`APPROVED` unless a rule holds it",
          RULES_FIELD(moderation.mode)),
      IntegerKey("moderation.link_threshold", 0, 1000, "2",
                 "this many links or more hold the comment (0: off)",
                 RULES_FIELD(moderation.link_threshold)),
      WordListKey("moderation.blocked_words", "[]",
                  "words or phrases that send a comment to `SPAM`",
                  RULES_FIELD(moderation.blocked_words)),
      WordListKey("moderation.hold_words", "[]",
                  "words or phrases that hold a comment",
                  RULES_FIELD(moderation.hold_words)),
      BoolKey("moderation.trusted_authors.enabled", "false",
              "approve returning authors at once (emails are not verified: "
              "anyone who knows one can use it, and learns that it is "
              "trusted; see [privacy.md](privacy.md))",
              RULES_FIELD(moderation.trust_returning_authors)),
      IntegerKey("moderation.trusted_authors.min_approved", 1, 1000, "2",
                 "approved comments (same name and email) that make an "
                 "author trusted",
                 RULES_FIELD(moderation.trusted_min_approved)),
      SecondsKey("flood.min_interval_seconds", {0, 86400}, "15",
                 "least time between two comments of one client network "
                 "(refused) and of one mailbox (flagged) (0: off)",
                 RULES_FIELD(flood.min_interval)),
      IntegerKey("flood.bucket_burst", 0, 1000000, "5",
                 "token bucket per client network: largest burst (0: off)",
                 RULES_FIELD(flood.bucket_burst)),
      NumberKey("flood.bucket_refill_per_minute",
                {0, 1e6, /*min_exclusive=*/true}, "1",
                "tokens added to the bucket per minute",
                RULES_FIELD(flood.bucket_refill_per_minute)),
      // Wider than an ISP's smallest allocation would put unrelated readers
      // in one bucket.
      IntegerKey("flood.ipv4_prefix_length", 8, 32, "32",
                 "bits of an IPv4 client IP that make its network",
                 RULES_FIELD(flood.ipv4_prefix_length)),
      IntegerKey("flood.ipv6_prefix_length", 32, 128, "64",
                 "bits of an IPv6 client IP that make its network",
                 RULES_FIELD(flood.ipv6_prefix_length)),
      NetworkListKey("client_ip.trusted_proxies", "[]",
                     "peers whose `x-forwarded-for` is believed",
                     RULES_FIELD(trusted_proxies)),
      IntegerKey("validation.author_name_max_chars", 1, 1000, "64",
                 "longest author name, in characters after trimming",
                 RULES_FIELD(limits.author_name_max_chars)),
      IntegerKey("validation.body_min_chars", 1, 1000000, "3",
                 "shortest body, in characters after trimming",
                 RULES_FIELD(limits.body_min_chars)),
      IntegerKey("validation.body_max_chars", 1, 1000000, "10000",
                 "longest body, in characters after trimming",
                 RULES_FIELD(limits.body_max_chars)),
      IntegerKey("validation.author_url_max_chars", 10, 65536, "2048",
                 "longest website, in characters after trimming",
                 RULES_FIELD(limits.author_url_max_chars)),
      // The standards' own limits (RFC 5321) are the upper bounds: a longer
      // address cannot receive mail.
      IntegerKey("validation.email_local_part_max_octets", 1, 64, "64",
                 "longest part of an email before the `@`, in bytes "
                 "(RFC 5321 allows 64)",
                 RULES_FIELD(limits.email_local_part_max_octets)),
      IntegerKey("validation.email_max_octets", 3, 254, "254",
                 "longest email, in bytes (RFC 5321 allows 254)",
                 RULES_FIELD(limits.email_max_octets)),
  };
  return *keys;
}

#undef RULES_FIELD

const std::vector<RulesKeyRelation>& RulesKeyRelations() {
  static const std::vector<RulesKeyRelation>* const relations =
      new std::vector<RulesKeyRelation>{
          {"validation.body_min_chars", "at most validation.body_max_chars",
           [](const RulesConfig& config) {
             return config.limits.body_min_chars <=
                    config.limits.body_max_chars;
           }},
      };
  return *relations;
}

}  // namespace comments::config
