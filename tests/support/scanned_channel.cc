#include "tests/support/scanned_channel.h"

#include <map>
#include <utility>

#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/answer_scan.h"
#include "tests/support/known_secrets.h"

namespace comments::testing {
namespace {

class AnswerScanInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit AnswerScanInterceptor(std::string method)
      : method_(std::move(method)) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::POST_RECV_STATUS)) {
      Check(*methods->GetRecvStatus(), *methods->GetRecvTrailingMetadata());
    }
    methods->Proceed();
  }

 private:
  void Check(
      const grpc::Status& status,
      const std::multimap<grpc::string_ref, grpc::string_ref>& trailing) const {
    std::vector<std::pair<std::string, std::string>> metadata;
    for (const auto& [key, value] : trailing) {
      metadata.emplace_back(std::string(key.data(), key.size()),
                            std::string(value.data(), value.size()));
    }
    for (const AnswerFinding& finding :
         FindSecretsInAnswer(status, metadata, RememberedSecrets())) {
      // Callback and streaming calls end on gRPC's threads; gtest counts a
      // failure from any thread against the running test.
      ADD_FAILURE() << "the answer to " << method_ << " (code "
                    << status.error_code() << ") holds "
                    << (finding.kind == "email address" ? "an " : "a ")
                    << finding.kind << " in its " << finding.part;
    }
  }

  const std::string method_;
};

class AnswerScanFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new AnswerScanInterceptor(info->method());
  }
};

}  // namespace

std::vector<
    std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
AnswerScanInterceptors() {
  std::vector<
      std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<AnswerScanFactory>());
  return interceptors;
}

std::shared_ptr<grpc::Channel> ScannedChannel(
    const std::string& address,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    const grpc::ChannelArguments& arguments) {
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      address, credentials, arguments, AnswerScanInterceptors());
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ScannedChannel(
    const client::ChannelOptions& options) {
  return client::CreateChannel(options, AnswerScanInterceptors());
}

}  // namespace comments::testing
