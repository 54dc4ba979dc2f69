// The service's database role, seen from both sides: the owner setting its
// password during `comments_server migrate`, and the service checking at
// start-up that it connects with no more than it needs.
#ifndef COMMENTS_SERVICE_STORAGE_SERVICE_ROLE_H_
#define COMMENTS_SERVICE_STORAGE_SERVICE_ROLE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace comments::storage {

// Lets `role` log in with `password`. libpq turns the password into a
// verifier (SCRAM-SHA-256 unless the server's password_encryption says
// otherwise) on this side, so the password itself never reaches the server
// or its statement log. Needs the CREATEROLE privilege (or superuser).
absl::Status SetRolePassword(const std::string& connection_string,
                             const std::string& role,
                             const std::string& password);

// OK when `role` exists, may log in and holds the row privileges the
// migrations grant; FAILED_PRECONDITION saying what is missing otherwise
// (for example a --service_role other than the one the migrations granted
// to).
absl::Status CheckServiceRole(const std::string& connection_string,
                              const std::string& role);

// What the connected role may do beyond row access, each as a sentence for
// the operator ("is a superuser", "owns 4 tables, e.g. comments"); empty
// when it holds only what the service needs. Ownership through membership
// of the owner's role counts as ownership.
absl::StatusOr<std::vector<std::string>> ExcessPrivileges(
    const std::string& connection_string);

}  // namespace comments::storage

#endif  // COMMENTS_SERVICE_STORAGE_SERVICE_ROLE_H_
