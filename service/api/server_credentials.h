// Credentials of the listening port: plaintext by default, TLS when a
// certificate and key are given, and mutual TLS when a client CA is given too.
#ifndef COMMENTS_SERVICE_API_SERVER_CREDENTIALS_H_
#define COMMENTS_SERVICE_API_SERVER_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace comments::api {

struct TlsFiles {
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
  // PEM CA bundle. When set, clients must present a certificate it signed.
  std::string client_ca_file;
};

// Insecure credentials when no file is named; INVALID_ARGUMENT when only
// some of cert and key are, or a client CA without them; the read error
// (naming the file) when a file cannot be read or holds no PEM block.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsFiles& files);

}  // namespace comments::api

#endif  // COMMENTS_SERVICE_API_SERVER_CREDENTIALS_H_
