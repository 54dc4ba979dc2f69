// The client library's connection options: round_robin spreads calls over
// every address of the target (two in-process servers on loopback ports,
// each counting what it serves), keepalive reaches the channel arguments.
#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/lib/channel.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/impl/codegen/grpc_types.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace comments::client {
namespace {

class CountingHealth final : public grpc::health::v1::Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*,
                     const grpc::health::v1::HealthCheckRequest*,
                     grpc::health::v1::HealthCheckResponse* response) override {
    ++calls_;
    response->set_status(grpc::health::v1::HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
  int calls() const { return calls_; }

 private:
  std::atomic<int> calls_{0};
};

struct CountingServer {
  CountingServer() {
    grpc::ServerBuilder builder;
    builder.RegisterService(&service);
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    server = builder.BuildAndStart();
  }
  ~CountingServer() { server->Shutdown(); }

  CountingHealth service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

class ChannelBalancingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(first_.server, nullptr);
    ASSERT_NE(second_.server, nullptr);
  }

  std::string BothServers() const {
    return absl::StrCat("ipv4:127.0.0.1:", first_.port,
                        ",127.0.0.1:", second_.port);
  }

  // Makes `calls` health checks through a channel of `options`, until both
  // servers have had one when `until_both`.
  void Call(const ChannelOptions& options, int calls, bool until_both) {
    auto channel = CreateChannel(options);
    ASSERT_TRUE(channel.ok()) << channel.status();
    auto stub = grpc::health::v1::Health::NewStub(*channel);
    for (int i = 0; i < calls; ++i) {
      grpc::ClientContext context;
      context.set_wait_for_ready(true);
      grpc::health::v1::HealthCheckResponse response;
      ASSERT_TRUE(stub->Check(&context, {}, &response).ok());
      if (until_both && first_.service.calls() > 0 &&
          second_.service.calls() > 0) {
        return;
      }
    }
  }

  CountingServer first_;
  CountingServer second_;
};

TEST_F(ChannelBalancingTest, RoundRobinReachesEveryServer) {
  ChannelOptions options;
  options.address = BothServers();
  options.load_balancing = LoadBalancing::kRoundRobin;
  Call(options, 500, /*until_both=*/true);
  EXPECT_GT(first_.service.calls(), 0);
  EXPECT_GT(second_.service.calls(), 0);
}

TEST_F(ChannelBalancingTest, PickFirstByDefaultUsesOneServer) {
  ChannelOptions options;
  options.address = BothServers();
  Call(options, 20, /*until_both=*/false);
  EXPECT_EQ(first_.service.calls() + second_.service.calls(), 20);
  EXPECT_TRUE(first_.service.calls() == 0 || second_.service.calls() == 0);
}

int IntArgument(const grpc::ChannelArguments& arguments, const char* key) {
  const grpc_channel_args args = arguments.c_channel_args();
  for (size_t i = 0; i < args.num_args; ++i) {
    if (std::string(args.args[i].key) == key &&
        args.args[i].type == GRPC_ARG_INTEGER) {
      return args.args[i].value.integer;
    }
  }
  return -1;
}

TEST(ChannelArgumentsTest, KeepaliveIsOffByDefault) {
  const grpc::ChannelArguments arguments = ChannelArgumentsFor({});
  EXPECT_EQ(IntArgument(arguments, GRPC_ARG_KEEPALIVE_TIME_MS), -1);
}

TEST(ChannelArgumentsTest, KeepaliveOptionsReachTheChannel) {
  ChannelOptions options;
  options.keepalive_time = absl::Seconds(30);
  options.keepalive_timeout = absl::Seconds(5);
  options.keepalive_without_calls = true;
  const grpc::ChannelArguments arguments = ChannelArgumentsFor(options);
  EXPECT_EQ(IntArgument(arguments, GRPC_ARG_KEEPALIVE_TIME_MS), 30000);
  EXPECT_EQ(IntArgument(arguments, GRPC_ARG_KEEPALIVE_TIMEOUT_MS), 5000);
  EXPECT_EQ(IntArgument(arguments, GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS), 1);
}

}  // namespace
}  // namespace comments::client
