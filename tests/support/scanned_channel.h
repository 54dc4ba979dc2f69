// Channels for black-box tests whose every answer is checked for secrets:
// a client interceptor runs FindSecretsInAnswer (answer_scan.h) on the
// status and trailing metadata of each call, with the key material of every
// server the test process started (known_secrets.h), and fails the running
// test (gtest ADD_FAILURE) for each finding, naming the method, the part of
// the answer and the kind of secret, never the secret.
#ifndef COMMENTS_TESTS_SUPPORT_SCANNED_CHANNEL_H_
#define COMMENTS_TESTS_SUPPORT_SCANNED_CHANNEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/lib/channel.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_interceptor.h"

namespace comments::testing {

// The interceptors that check answers, for a channel made by hand.
std::vector<
    std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
AnswerScanInterceptors();

// What grpc::CreateCustomChannel makes, checked: gRPC's own defaults, for
// tests about gRPC's behaviour rather than the client library's.
std::shared_ptr<grpc::Channel> ScannedChannel(
    const std::string& address,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials =
        grpc::InsecureChannelCredentials(),
    const grpc::ChannelArguments& arguments = {});

// What client::CreateChannel makes for `options`, checked; its errors.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ScannedChannel(
    const client::ChannelOptions& options);

}  // namespace comments::testing

#endif  // COMMENTS_TESTS_SUPPORT_SCANNED_CHANNEL_H_
